package api

import (
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// Who is asking, and over what. A request's forwarding headers
// (X-Forwarded-For, X-Real-IP, X-Forwarded-Proto) are anyone's to write, so
// they are believed only when the connection comes from a proxy the server
// was told to trust (Config.TrustedProxies). Everything that needs the
// caller's address (every rate limit, the request log) reads c.RealIP(),
// which echo answers through the one IPExtractor set here; everything that
// needs to know whether the request arrived over HTTPS (the tenant pages'
// cookie, HSTS) reads arrivedOverHTTPS.

// ParseTrustedProxies reads a comma-separated list of CIDRs ("10.0.0.0/8")
// or single addresses ("192.0.2.7", taken as /32 or /128). An empty string
// trusts no proxy. Anything else is an error that names the bad entry, so a
// typo stops the server at start rather than silently trusting nobody.
func ParseTrustedProxies(s string) ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			ip := net.ParseIP(part)
			if ip == nil {
				return nil, fmt.Errorf("trusted proxy %q is neither a CIDR (such as 10.0.0.0/8) nor an IP address", part)
			}
			bits := 128
			if ip4 := ip.To4(); ip4 != nil {
				ip, bits = ip4, 32
			}
			nets = append(nets, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is not a valid CIDR (such as 10.0.0.0/8 or fd00::/8)", part)
		}
		nets = append(nets, n)
	}
	return nets, nil
}

// proxies is the set of trusted proxies; the zero value trusts none.
type proxies []*net.IPNet

// trusts reports whether the request's direct peer is a trusted proxy.
func (ps proxies) trusts(r *http.Request) bool {
	if len(ps) == 0 {
		return false
	}
	ip := net.ParseIP(echo.ExtractIPDirect()(r))
	if ip == nil {
		return false
	}
	for _, n := range ps {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// ipExtractor is echo's IPExtractor for the server: the direct peer when no
// proxy is trusted; otherwise the nearest address in X-Forwarded-For that is
// not a trusted proxy, or X-Real-IP when the trusted proxy sends only that.
// Echo's own defaults also trust every loopback, link-local and private
// address; those are turned off, so only the named proxies are believed.
func (ps proxies) ipExtractor() echo.IPExtractor {
	if len(ps) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range ps {
		opts = append(opts, echo.TrustIPRange(n))
	}
	xff := echo.ExtractIPFromXFFHeader(opts...)
	realIP := echo.ExtractIPFromRealIPHeader(opts...)
	return func(r *http.Request) string {
		if len(r.Header[echo.HeaderXForwardedFor]) > 0 {
			return xff(r)
		}
		return realIP(r)
	}
}

// https reports whether r reached the server over HTTPS: on its own TLS
// connection, or through a trusted proxy that says so in X-Forwarded-Proto.
func (ps proxies) https(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !ps.trusts(r) {
		return false
	}
	// A proxy that appends to a header the client sent leaves the client's
	// value first: only the last one is the trusted proxy's own.
	protos := strings.Split(r.Header.Get(echo.HeaderXForwardedProto), ",")
	return strings.EqualFold(strings.TrimSpace(protos[len(protos)-1]), "https")
}

// httpsKey holds, in the echo context, whether the request arrived over
// HTTPS; securityHeaders sets it before any handler runs.
const httpsKey = "doorstep.https"

// arrivedOverHTTPS reports what securityHeaders decided for this request.
func arrivedOverHTTPS(c echo.Context) bool {
	https, _ := c.Get(httpsKey).(bool)
	return https
}
