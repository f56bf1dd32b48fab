package server

import (
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"

	"github.com/labstack/echo/v4"
)

// recoverPanics turns a handler's panic into an error, which errorHandler
// logs (with the stack) and answers as a 500 with a JSON body, so one bad
// request never takes the server down. http.ErrAbortHandler is passed on:
// net/http uses it to abort a response on purpose.
//
// It replaces echo's middleware.Recover, which allocates a closure on every
// request (one allocation per single lookup, the only one).
func recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if e, ok := r.(error); ok && errors.Is(e, http.ErrAbortHandler) {
				panic(r)
			}
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}()
		return next(c)
	}
}
