package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

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
