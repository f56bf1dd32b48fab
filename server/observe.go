package server

import (
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gridmap/gridmap/metrics"
	"github.com/labstack/echo/v4"
)

// The request log: one line per request, written when the answer is done,
// with the time, request id, method, route name, path, query (any "key"
// parameter's value replaced by REDACTED), status, bytes of the body,
// duration, remote address and, when the request carried a credential, the
// key's name. Never a header (no Authorization), a token or a body.
//
// Levels: a 5xx is an error, a 4xx a warning (a client that sends bad input
// or no credential shows at -log-level warn), anything else info; the
// routes probes and scrapers call all day (health, readiness, metrics) and
// the page's static files log their successes at debug.

// quietRoutes log their successes at debug.
var quietRoutes = map[string]bool{"healthz": true, "readyz": true, "metrics": true, "page": true, "static": true}

// unmatchedRoute names the requests no route took (404, 405) in metrics and
// logs.
const unmatchedRoute = "unmatched"

// observe gives a request its id, renders a handler's error (so that the
// status is known here), and records the request in the metrics and the
// log. Everything per route is resolved here, once; a request allocates only
// its id when it brings none (and its log line when logged).
func (s *Server) observe(r route, next echo.HandlerFunc) echo.HandlerFunc {
	rm := s.metrics.Route(r.name)
	okLevel := slog.LevelInfo
	if quietRoutes[r.name] {
		okLevel = slog.LevelDebug
	}
	return func(c echo.Context) error {
		start := time.Now()
		s.setRequestID(c)
		if err := next(c); err != nil {
			s.errorHandler(err, c)
		}
		s.record(c, r.name, rm, okLevel, start)
		return nil
	}
}

// unmatched is echo's HTTPErrorHandler. Every routed request's error is
// rendered by observe, so what reaches echo's handler is the error of a
// request no route took (echo's own 404 and 405): it gets an id, its error
// answer, and its metrics and log line under route "unmatched" (its
// duration starts here, after routing).
func (s *Server) unmatched(err error, c echo.Context) {
	start := time.Now()
	s.setRequestID(c)
	s.errorHandler(err, c)
	s.record(c, unmatchedRoute, s.unmatchedMetrics, slog.LevelInfo, start)
}

// record counts the answer of c in rm and logs it: at okLevel unless it is
// an error.
func (s *Server) record(c echo.Context, name string, rm *metrics.Route, okLevel slog.Level, start time.Time) {
	res := c.Response()
	end := time.Now() // the one clock read of the answer: duration and log time
	d := end.Sub(start)
	rm.Observe(res.Status, d)
	level := okLevel
	switch {
	case res.Status >= 500:
		level = slog.LevelError
	case res.Status >= 400:
		level = slog.LevelWarn
	}
	req := c.Request()
	ctx := req.Context()
	if !s.logger.Enabled(ctx, level) {
		return
	}
	// a record made here, not by Logger.LogAttrs, which would take the
	// caller's program counter (runtime.Callers) for a source that is
	// always this line
	rec := slog.NewRecord(end, level, "request", 0)
	attrs := [...]slog.Attr{
		slog.String("id", requestID(c)),
		slog.String("method", req.Method),
		slog.String("route", name),
		slog.String("path", req.URL.Path),
		slog.String("query", redactQuery(req.URL.RawQuery)),
		slog.Int("status", res.Status),
		slog.Int64("bytes", res.Size),
		slog.Duration("duration", d),
		slog.String("remote", req.RemoteAddr),
		{}, // the key's name, when the request carried one
	}
	n := len(attrs) - 1
	if k := keyName(c); k != "" {
		attrs[n] = slog.String("key", k)
		n++
	}
	rec.AddAttrs(attrs[:n]...)              // at once: one allocation past the record's five inline attributes
	_ = s.logger.Handler().Handle(ctx, rec) // a log that cannot be written is not the client's error
}

// redactQuery returns a raw query with the value of every parameter named
// "key" (API keys may come as ?key=TOKEN) replaced by REDACTED; the name is
// compared decoded, as the server reads it ("k%65y" is "key" too). A query
// without one is returned as it is, without allocating.
func redactQuery(q string) string {
	var b []byte
	done := 0 // q[:done] is in b
	for i := 0; i <= len(q); {
		end := strings.IndexByte(q[i:], '&')
		if end < 0 {
			end = len(q)
		} else {
			end += i
		}
		if name, _, _ := strings.Cut(q[i:end], "="); isKeyParam(name) {
			b = append(b, q[done:i]...)
			b = append(b, name...)
			b = append(b, "=REDACTED"...)
			done = end
		}
		i = end + 1
	}
	if b == nil {
		return q
	}
	return string(append(b, q[done:]...))
}

// isKeyParam reports whether a raw query parameter name decodes to "key".
func isKeyParam(name string) bool {
	if name == "key" {
		return true
	}
	if len(name) < 3 || !strings.ContainsAny(name, "%+") {
		return false
	}
	d, err := url.QueryUnescape(name)
	return err == nil && d == "key"
}
