package server

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
)

// storeRetryAfter is the Retry-After, in seconds, of a write refused
// because the store cannot be reached: about the time a database takes to
// restart, and what a replica's watch waits at most between two tries
// (catalog's maxWatchBackoff is 4 s).
const storeRetryAfter = 5

// writes reports whether route r changes what the store holds (versions,
// incidents, staff): such requests are refused while the store cannot be
// reached, and the read routes are not.
func writes(r route) bool {
	if r.method != http.MethodPost {
		return false
	}
	switch r.access {
	case accessImport, accessAdmin, accessReport, accessAct, accessRelocate:
		return true
	}
	return false
}

// gateWrites refuses a write at once, before its body is read, while the
// store cannot be reached (503 store_unavailable with Retry-After, mapped in
// errors.go); and a write that fails with an internal error while the
// store has become unreachable meanwhile gets the same answer, not a 500,
// since it may be retried. Other routes pass untouched.
func (s *Server) gateWrites(r route, next echo.HandlerFunc) echo.HandlerFunc {
	if !writes(r) {
		return next
	}
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		if err := s.versions.Writable(ctx); err != nil {
			return err
		}
		err := next(c)
		if err == nil || httpError(err).Status != http.StatusInternalServerError || ctx.Err() != nil {
			return err
		}
		if werr := s.versions.Writable(context.WithoutCancel(ctx)); werr != nil {
			s.log.Printf("%s %s: %v, the store being unreachable", c.Request().Method, c.Request().URL.Path, err)
			return werr
		}
		return err
	}
}
