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
	return ps.contains(net.ParseIP(echo.ExtractIPDirect()(r)))
}

// contains reports whether ip is a trusted proxy; nil is not.
func (ps proxies) contains(ip net.IP) bool {
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

// trustsEveryone reports whether some entry covers a whole address family
// (0.0.0.0/0, ::/0): then any client may name its own address.
func (ps proxies) trustsEveryone() bool {
	for _, n := range ps {
		if ones, _ := n.Mask.Size(); ones == 0 {
			return true
		}
	}
	return false
}

// ipExtractor is echo's IPExtractor for the server. With no trusted proxy,
// or from any other peer, the caller is the direct peer. From a trusted
// proxy:
//
//  1. X-Real-IP, when it holds an address, is the caller: a proxy that sets
//     it writes it whole, while X-Forwarded-For may still carry whatever the
//     client sent (nginx's common setup passes the client's header through).
//  2. Otherwise X-Forwarded-For is read from the right, where each proxy
//     appends the address it saw; trusted proxies are skipped, and the first
//     address that is not one is the caller. Entries to its left are the
//     client's own words and are never believed.
//  3. With neither, the peer itself is the caller.
//
// An entry that is not an address stops the walk: the address to its right
// (a trusted proxy, or the peer) is the nearest one known to be true.
func (ps proxies) ipExtractor() echo.IPExtractor {
	direct := echo.ExtractIPDirect()
	if len(ps) == 0 {
		return direct
	}
	return func(r *http.Request) string {
		peer := direct(r)
		if !ps.contains(net.ParseIP(peer)) {
			return peer
		}
		if ip := parseForwarded(r.Header.Get(echo.HeaderXRealIP)); ip != nil {
			return ip.String()
		}
		var hops []string
		for _, h := range r.Header.Values(echo.HeaderXForwardedFor) {
			hops = append(hops, strings.Split(h, ",")...)
		}
		nearest := peer
		for i := len(hops) - 1; i >= 0; i-- {
			ip := parseForwarded(hops[i])
			if ip == nil {
				break
			}
			nearest = ip.String()
			if !ps.contains(ip) {
				break
			}
		}
		return nearest
	}
}

// parseForwarded reads one address as proxies write it in a forwarding
// header: bare, or an IPv6 address in brackets; nil for anything else.
func parseForwarded(s string) net.IP {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	ip := net.ParseIP(s)
	if ip4 := ip.To4(); ip4 != nil {
		return ip4
	}
	return ip
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
