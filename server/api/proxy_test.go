package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"doorstep/server/api"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// proxied is a server with the tenant pages, configured to trust the given
// proxies, and the log it writes.
type proxied struct {
	s     *api.Server
	log   *syncBuffer
	token string // a promise's tenant link
}

func newProxied(t *testing.T, trusted string) *proxied {
	t.Helper()
	nets, err := api.ParseTrustedProxies(trusted)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fx := synctest.Seed(t, db.SQL())
	tom := synctest.NewDevice(t, &sqlite.SyncService{DB: db}, fx, "tom", "tom-phone")
	c := synctest.NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionRepairs)
	if r := tom.Push(tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c)).Results[0]; r.Status != housing.ResultApplied {
		t.Fatalf("make promise: got %+v", r)
	}
	log := &syncBuffer{}
	s, err := api.New(api.Config{WebDir: newWebDir(t), Log: slog.New(slog.NewTextHandler(log, nil)), TrustedProxies: nets,
		Services: api.Services{Tenants: &sqlite.TenantService{DB: db}, TenantKey: []byte("test key: 32 bytes of anything..")}})
	if err != nil {
		t.Fatal(err)
	}
	return &proxied{s: s, log: log, token: c.Token}
}

// from sends a request from the peer address peer with the given headers.
func (p *proxied) from(peer, method, target string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	req.RemoteAddr = net.JoinHostPort(peer, "40000")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	p.s.ServeHTTP(rec, req)
	return rec
}

var remoteIPField = regexp.MustCompile(`remote_ip=(\S+)`)

// lastRemoteIP is the remote_ip of the last request logged.
func (p *proxied) lastRemoteIP(t *testing.T) string {
	t.Helper()
	m := remoteIPField.FindAllStringSubmatch(p.log.String(), -1)
	if len(m) == 0 {
		t.Fatalf("no request logged:\n%s", p.log.String())
	}
	return m[len(m)-1][1]
}

func TestCallerAddress(t *testing.T) {
	tests := []struct {
		name    string
		trusted string
		peer    string
		header  map[string]string
		want    string
	}{
		{"NoProxyIgnoresForwardedFor", "", "198.51.100.9", map[string]string{"X-Forwarded-For": "203.0.113.5"}, "198.51.100.9"},
		{"NoProxyIgnoresRealIP", "", "198.51.100.9", map[string]string{"X-Real-IP": "203.0.113.5"}, "198.51.100.9"},
		// Echo's defaults would trust any private or loopback peer.
		{"PrivatePeerIsNotTrustedUnlessNamed", "", "10.1.2.3", map[string]string{"X-Forwarded-For": "203.0.113.5"}, "10.1.2.3"},
		{"LoopbackPeerIsNotTrustedUnlessNamed", "10.0.0.0/8", "127.0.0.1", map[string]string{"X-Forwarded-For": "203.0.113.5"}, "127.0.0.1"},
		{"TrustedProxyForwardedFor", "10.0.0.0/8", "10.1.2.3", map[string]string{"X-Forwarded-For": "203.0.113.5"}, "203.0.113.5"},
		{"TrustedProxyRealIP", "10.0.0.0/8", "10.1.2.3", map[string]string{"X-Real-IP": "203.0.113.5"}, "203.0.113.5"},
		// A client's own X-Forwarded-For entry comes before the address the
		// trusted proxy saw: the nearest untrusted address is the caller.
		{"ForgedEntryBeforeTheRealOne", "10.0.0.0/8", "10.1.2.3", map[string]string{"X-Forwarded-For": "192.0.2.66, 203.0.113.5"}, "203.0.113.5"},
		{"ChainOfTrustedProxies", "10.0.0.0/8, 192.0.2.7", "10.1.2.3", map[string]string{"X-Forwarded-For": "203.0.113.5, 192.0.2.7"}, "203.0.113.5"},
		{"TrustedProxyWithoutHeader", "10.0.0.0/8", "10.1.2.3", nil, "10.1.2.3"},
		{"SingleAddressProxy", "192.0.2.7", "192.0.2.7", map[string]string{"X-Forwarded-For": "203.0.113.5"}, "203.0.113.5"},
		{"IPv6Proxy", "fd00::/8", "fd00::1", map[string]string{"X-Forwarded-For": "2001:db8::5"}, "2001:db8::5"},
		// nginx with only X-Real-IP set passes the client's own
		// X-Forwarded-For through: the proxy's X-Real-IP is the caller.
		{"RealIPWinsOverClientForwardedFor", "127.0.0.1", "127.0.0.1", map[string]string{"X-Real-IP": "198.51.100.7", "X-Forwarded-For": "6.6.6.33"}, "198.51.100.7"},
		{"BadRealIPFallsBackToForwardedFor", "10.0.0.0/8", "10.1.2.3", map[string]string{"X-Real-IP": "nonsense", "X-Forwarded-For": "203.0.113.5"}, "203.0.113.5"},
		{"AllEntriesTrusted", "10.0.0.0/8", "10.1.2.3", map[string]string{"X-Forwarded-For": "10.9.9.9, 10.8.8.8"}, "10.9.9.9"},
		{"GarbageStopsTheWalk", "10.0.0.0/8", "10.1.2.3", map[string]string{"X-Forwarded-For": "203.0.113.5, garbage, 10.8.8.8"}, "10.8.8.8"},
		{"BracketedIPv6Entry", "10.0.0.0/8", "10.1.2.3", map[string]string{"X-Forwarded-For": "[2001:db8::5]"}, "2001:db8::5"},
		{"UntrustedPeerRealIPIgnored", "127.0.0.1", "198.51.100.9", map[string]string{"X-Real-IP": "198.51.100.7"}, "198.51.100.9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProxied(t, tt.trusted)
			p.from(tt.peer, http.MethodGet, "/healthz", tt.header)
			if got := p.lastRemoteIP(t); got != tt.want {
				t.Errorf("logged remote_ip=%s, want %s", got, tt.want)
			}
		})
	}
}

// TestTenantLimitIgnoresForgedHeaders: a new X-Forwarded-For or X-Real-IP
// on every request must not give a caller a new bucket, unless a trusted
// proxy sent it.
func TestTenantLimitIgnoresForgedHeaders(t *testing.T) {
	count429 := func(p *proxied, peer string) int {
		limited := 0
		for i := range 60 {
			fake := net.IPv4(203, 0, 113, byte(i+1)).String()
			h := map[string]string{"X-Forwarded-For": fake, "X-Real-IP": fake}
			if rec := p.from(peer, http.MethodGet, housing.TenantPath(housing.NewToken()), h); rec.Code == http.StatusTooManyRequests {
				limited++
			}
		}
		return limited
	}
	t.Run("Forged", func(t *testing.T) {
		if n := count429(newProxied(t, ""), "198.51.100.9"); n == 0 {
			t.Errorf("60 requests from one address, each with a new forwarding header, were never limited")
		}
	})
	t.Run("FromTrustedProxy", func(t *testing.T) {
		if n := count429(newProxied(t, "10.0.0.0/8"), "10.1.2.3"); n != 0 {
			t.Errorf("%d of 60 requests from 60 tenants behind the trusted proxy were limited, want none", n)
		}
	})
}

// TestTenantLimitFollowsRealIP: behind a proxy that sets X-Real-IP and
// passes the client's X-Forwarded-For through, a new X-Forwarded-For on
// every request must not give the client a new bucket.
func TestTenantLimitFollowsRealIP(t *testing.T) {
	p := newProxied(t, "127.0.0.1")
	limited := 0
	for i := range 60 {
		h := map[string]string{"X-Real-IP": "198.51.100.7", "X-Forwarded-For": net.IPv4(6, 6, 6, byte(i)).String()}
		if rec := p.from("127.0.0.1", http.MethodGet, housing.TenantPath(housing.NewToken()), h); rec.Code == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Errorf("60 requests with one X-Real-IP and a new X-Forwarded-For each were never limited")
	}
	if got := p.lastRemoteIP(t); got != "198.51.100.7" {
		t.Errorf("logged remote_ip=%s, want the proxy's X-Real-IP 198.51.100.7", got)
	}
}

// TestTenantLimitPerIPv6Network: a client given a /64 can use a new
// address in it for every request; the limit counts the /64.
func TestTenantLimitPerIPv6Network(t *testing.T) {
	p := newProxied(t, "")
	limited := 0
	for i := range 60 {
		peer := fmt.Sprintf("2001:db8:1:2::%x", i+1)
		if rec := p.from(peer, http.MethodGet, housing.TenantPath(housing.NewToken()), nil); rec.Code == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Errorf("60 requests from 60 addresses in one /64 were never limited")
	}
	if rec := p.from("2001:db8:1:3::1", http.MethodGet, housing.TenantPath(housing.NewToken()), nil); rec.Code == http.StatusTooManyRequests {
		t.Errorf("a caller in the next /64 was limited with its neighbour")
	}
}

// TestTrustEveryoneWarns: a trusted set that covers every address lets any
// client choose its own address, so the server says so when it starts.
func TestTrustEveryoneWarns(t *testing.T) {
	for _, tt := range []struct {
		trusted string
		warn    bool
	}{{"0.0.0.0/0", true}, {"10.0.0.0/8, ::/0", true}, {"10.0.0.0/8", false}, {"", false}} {
		p := newProxied(t, tt.trusted)
		if got := strings.Contains(p.log.String(), "trusted proxies cover every address"); got != tt.warn {
			t.Errorf("-trusted-proxies %q: warned %v, want %v:\n%s", tt.trusted, got, tt.warn, p.log.String())
		}
	}
}

func TestHTTPSBehindProxy(t *testing.T) {
	tests := []struct {
		name    string
		trusted string
		peer    string
		proto   string
		https   bool
	}{
		{"PlainHTTP", "", "198.51.100.9", "", false},
		{"ForgedProto", "", "198.51.100.9", "https", false},
		{"ForgedProtoFromUnnamedPrivatePeer", "192.0.2.7", "10.1.2.3", "https", false},
		{"TrustedProxySaysHTTPS", "10.0.0.0/8", "10.1.2.3", "https", true},
		{"TrustedProxySaysHTTP", "10.0.0.0/8", "10.1.2.3", "http", false},
		// The trusted proxy appended its own value to the client's.
		{"ClientValueBeforeProxyValue", "10.0.0.0/8", "10.1.2.3", "https, http", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProxied(t, tt.trusted)
			h := map[string]string{"Accept": "text/html"}
			if tt.proto != "" {
				h["X-Forwarded-Proto"] = tt.proto
			}
			rec := p.from(tt.peer, http.MethodGet, housing.TenantPath(p.token), h)
			if rec.Code != http.StatusOK {
				t.Fatalf("got %d, want 200", rec.Code)
			}
			if got := rec.Header().Get("Strict-Transport-Security") != ""; got != tt.https {
				t.Errorf("HSTS sent: %v, want %v", got, tt.https)
			}
			cookie := rec.Header().Get("Set-Cookie")
			if cookie == "" {
				t.Fatalf("the tenant page set no CSRF cookie")
			}
			if got := strings.Contains(cookie, "; Secure"); got != tt.https {
				t.Errorf("CSRF cookie %q Secure: %v, want %v", cookie, got, tt.https)
			}
		})
	}
}

func TestParseTrustedProxies(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "nonsense", "10.0.0.0/8,,x", "1.2.3", "10.0.0.0/8 10.1.0.0/16"} {
		if _, err := api.ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q) accepted it", bad)
		}
	}
	nets, err := api.ParseTrustedProxies(" 10.0.0.0/8 ,192.0.2.7,, fd00::/8 ")
	if err != nil || len(nets) != 3 || nets[1].String() != "192.0.2.7/32" {
		t.Errorf("got %v, %v; want three networks, the bare address as /32", nets, err)
	}
}
