package server

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
)

// Send sends method url with body and the given request headers (name,
// value pairs) and returns the answer's status, headers and body. For the
// tests of package server_test.
func Send(t *testing.T, method, url, body string, hdr ...string) (int, http.Header, []byte) {
	t.Helper()
	a := send(t, method, url, body, hdr...)
	return a.status, a.header, a.body
}

// BareHandler returns the server's routes with each handler wrapped only
// in the panic recovery, without observe, cors, authorize and limit, and
// errors rendered by errorHandler: what the allocation test and the
// benchmarks measure as "the handler itself". For the tests of this package.
func (s *Server) BareHandler() http.Handler {
	e := echo.New()
	e.HTTPErrorHandler = s.errorHandler
	for _, r := range s.routeTable() {
		e.Add(r.method, r.path, recoverPanics(r.h))
	}
	return e
}
