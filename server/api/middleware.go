package api

import (
	"log/slog"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// contentSecurityPolicy lets the app run its own scripts and WebAssembly
// ('wasm-unsafe-eval' allows compiling wasm, not eval) and nothing from any
// other origin. go-app sets no inline script or style. The tenant pages set
// their own, stricter policy.
const contentSecurityPolicy = "default-src 'self'; " +
	"script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self'; " +
	"img-src 'self' data: blob:; " +
	"connect-src 'self'; " +
	"worker-src 'self'; " +
	"manifest-src 'self'; " +
	"object-src 'none'; " +
	"base-uri 'self'; " +
	"form-action 'self'; " +
	"frame-ancestors 'none'"

// hsts keeps a browser on HTTPS for a year once it has seen the site over
// HTTPS. It names no subdomains: the landlord's other sites are not ours to
// bind.
const hsts = "max-age=31536000"

// securityHeaders sets the headers every response carries. A handler may
// replace them (the tenant pages do) because they are set before it runs.
// It also decides, once, whether the request arrived over HTTPS (see
// arrivedOverHTTPS), and only then sends HSTS, which a browser ignores over
// plain HTTP anyway.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		https := s.proxies.https(c.Request())
		c.Set(httpsKey, https)
		if https {
			h.Set("Strict-Transport-Security", hsts)
		}
		return next(c)
	}
}

// logRequests logs one structured line per request once the error handler
// has chosen the status, with the error behind a failure. It logs the route
// (logPath), never the query string, and the caller's address as the
// trusted-proxy rules see it (c.RealIP()).
func (s *Server) logRequests() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError:  true,
		LogLatency:   true,
		LogMethod:    true,
		LogStatus:    true,
		LogError:     true,
		LogRequestID: true,
		LogRemoteIP:  true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			switch {
			case v.Status >= 500:
				level = slog.LevelError
			case v.Status >= 400:
				level = slog.LevelWarn
			}
			path := logPath(c)
			attrs := []slog.Attr{
				slog.String("method", v.Method),
				slog.String("path", path),
				slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency),
				slog.String("remote_ip", v.RemoteIP),
				slog.String("request_id", v.RequestID),
			}
			if v.Error != nil {
				attrs = append(attrs, slog.String("err", logError(v.Error, c, path)))
			}
			s.Log.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	})
}

// logPath is the path to log for a request: the route's pattern
// ("/t/:token", "/api/v1/sessions/:id"), so a secret in the path, such as a
// tenant's link token, never reaches the log. A catch-all route (the app's
// pages, /web/ files, unknown /api paths) or no route at all has no pattern
// to log, so its path is logged through boundedPath, except under /t/,
// where whatever follows may be a token with something after it.
func logPath(c echo.Context) string {
	pattern, path := c.Path(), c.Request().URL.Path
	switch {
	case path == "/t" || strings.HasPrefix(path, "/t/"):
		if pattern == "" || strings.HasSuffix(pattern, "*") {
			return "/t/*"
		}
		return pattern
	case pattern == "" || strings.HasSuffix(pattern, "*"):
		return boundedPath(path)
	}
	return pattern
}

// A path logged for a catch-all route keeps at most logSegments segments,
// and of each only what cannot be a secret (see plainSegment); the rest is
// redacted. A tenant link token is 22 characters, so it cannot fit in a
// kept segment under any spelling of its link (//t/, /./t/, /T/, /x/...).
const (
	logSegments    = 8
	logSegmentMax  = 21
	redactedInPath = "{redacted}"
)

// boundedPath is path as the log may hold it: each segment kept only when
// plainSegment says it cannot hide a secret, else redactedInPath, and cut
// after logSegments segments, so it is short whatever was sent.
func boundedPath(path string) string {
	parts := strings.Split(path, "/")
	more := len(parts) > logSegments+1
	if more {
		parts = parts[:logSegments+1]
	}
	for i, part := range parts {
		if !plainSegment(part) {
			parts[i] = redactedInPath
		}
	}
	out := strings.Join(parts, "/")
	if more {
		out += "/…"
	}
	return out
}

// plainSegment reports whether a path segment is short and made only of
// lowercase letters, digits, dots and hyphens, as the app's page names and
// files are ("visits", "app.css", "icon-192.png"). A random token (mixed
// case, base64's "_") or anything longer than a token less one character
// is not.
func plainSegment(s string) bool {
	if len(s) > logSegmentMax {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

// logError is an error as the log may hold it: messages such as "There is
// nothing at /x/..." name the request's path, which is replaced by what
// logPath logs, so the error cannot carry what the path field hides.
func logError(err error, c echo.Context, path string) string {
	text := err.Error()
	if raw := c.Request().URL.Path; raw != "" && raw != path && raw != "/" {
		text = strings.ReplaceAll(text, raw, path)
	}
	return text
}
