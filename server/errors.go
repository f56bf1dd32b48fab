package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gridmap/gridmap/version"
	"github.com/labstack/echo/v4"
)

// Error is an error with an HTTP status and a JSON body
// {"error":{"status":..,"code":..,"message":..,"param":..}} (with "index"
// and "line" for a batch's bad point). Handlers return
// it (or any error; httpError maps the rest) and errorHandler writes it.
type Error struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// Param names the request parameter at fault, when there is one.
	Param string `json:"param,omitempty"`
	// Index and Line place a batch's bad point: its 0-based position among
	// the points and its 1-based line in the body (0: not known).
	Index *int `json:"index,omitempty"`
	Line  int  `json:"line,omitempty"`
	// Limit is the config key of the limit that was hit
	// ("limits.max_batch_points").
	Limit string `json:"limit,omitempty"`
}

func (e *Error) Error() string { return e.Message }

// badParam returns a 400 naming the parameter at fault.
func badParam(param, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "bad_parameter", Param: param, Message: fmt.Sprintf(format, args...)}
}

// httpError maps any error to the Error that is sent to the client. This is
// the one place where errors become HTTP statuses; internal errors are logged
// and not leaked.
func httpError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code := "http_error"
		switch he.Code {
		case http.StatusNotFound:
			code = "not_found"
		case http.StatusMethodNotAllowed:
			code = "method_not_allowed"
		case http.StatusRequestEntityTooLarge:
			code = "too_large"
		case http.StatusUnsupportedMediaType:
			code = "unsupported_media_type"
		}
		msg := http.StatusText(he.Code)
		if s, ok := he.Message.(string); ok && he.Code < 500 {
			msg = s
		}
		return &Error{Status: he.Code, Code: code, Message: msg}
	}
	var ue *version.UnservableError
	switch {
	case errors.Is(err, version.ErrBadID):
		return &Error{Status: http.StatusBadRequest, Code: "bad_version", Message: err.Error(), Param: "version"}
	case errors.Is(err, version.ErrNotFound):
		return &Error{Status: http.StatusNotFound, Code: "version_not_found", Message: err.Error(), Param: "version"}
	case errors.As(err, &ue):
		return &Error{Status: http.StatusUnprocessableEntity, Code: "unservable", Message: ue.Error()}
	case errors.Is(err, version.ErrNoVersion):
		return &Error{Status: http.StatusServiceUnavailable, Code: "no_version", Message: err.Error()}
	case noSpace(err):
		return &Error{Status: http.StatusInsufficientStorage, Code: "insufficient_storage",
			Message: "the server's disk is full (" + syscallText(err) + "); nothing was changed: free space on the data directory's disk and retry"}
	}
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}
}

// errorHandler is echo's HTTPErrorHandler: every error becomes a JSON body.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	e := httpError(err)
	if e.Status >= 500 {
		s.log.Printf("%s %s: %v", c.Request().Method, c.Request().URL.Path, err)
	}
	c.JSON(e.Status, map[string]*Error{"error": e})
}
