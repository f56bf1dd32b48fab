package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/lookup"
	"github.com/gridmap/gridmap/staff"
	"github.com/gridmap/gridmap/version"
	"github.com/labstack/echo/v4"
)

// Error is an error with an HTTP status, sent to the client as a problem
// document (problem.go): Code names its kind, Message is the document's
// detail. Handlers return it (or any error; httpError maps the rest) and
// errorHandler writes it. Headers that go with it (Allow,
// WWW-Authenticate, Retry-After) are set on the response before it is
// returned.
type Error struct {
	Status  int
	Code    string
	Message string
	// Param names the request parameter (query parameter, form field or
	// body member) at fault, when there is one.
	Param string
	// Index and Line place a batch's bad point: its 0-based position among
	// the points and its 1-based line in the body (0: not known).
	Index *int
	Line  int
	// Field names an import's feature property or field at fault.
	Field string
	// Limit names the configuration key of a limit that was hit
	// ("limits.max_batch_points").
	Limit string
	// Ext holds further members of the problem document (an import's
	// report); their names must not be those of the document's own members.
	Ext map[string]any
}

func (e *Error) Error() string { return e.Message }

// badParam returns a 400 naming the parameter at fault.
func badParam(param, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "bad_parameter", Param: param, Message: fmt.Sprintf(format, args...)}
}

// unknownParam returns the 400 of a query parameter or form field name
// that the route does not take; known lists those it takes.
func unknownParam(name string, known []string) *Error {
	msg := fmt.Sprintf("unknown parameter %q: this URL takes no parameters", name)
	if len(known) > 0 {
		msg = fmt.Sprintf("unknown parameter %q: this URL takes %s", name, strings.Join(known, ", "))
	}
	return &Error{Status: http.StatusBadRequest, Code: "unknown_parameter", Param: name, Message: msg}
}

// statusCodes names the kind of an error known only by its HTTP status
// (echo's errors, net/http's own answers).
var statusCodes = map[int]string{
	http.StatusBadRequest:                  "bad_request",
	http.StatusUnauthorized:                "unauthorized",
	http.StatusForbidden:                   "forbidden",
	http.StatusNotFound:                    "not_found",
	http.StatusMethodNotAllowed:            "method_not_allowed",
	http.StatusRequestTimeout:              "timeout",
	http.StatusRequestEntityTooLarge:       "too_large",
	http.StatusUnsupportedMediaType:        "unsupported_media_type",
	http.StatusTooManyRequests:             "rate_limited",
	http.StatusRequestHeaderFieldsTooLarge: "header_too_large",
	http.StatusInternalServerError:         "internal",
	http.StatusServiceUnavailable:          "overloaded",
	http.StatusInsufficientStorage:         "insufficient_storage",
}

// statusCode returns the kind of an error of HTTP status status.
func statusCode(status int) string {
	if c, ok := statusCodes[status]; ok {
		return c
	}
	return "http_error"
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
		msg := http.StatusText(he.Code)
		if s, ok := he.Message.(string); ok && he.Code < 500 {
			msg = s
		}
		return &Error{Status: he.Code, Code: statusCode(he.Code), Message: msg}
	}
	var ue *version.UnservableError
	var ie *lookup.InputError
	var mb *http.MaxBytesError
	if e := incidentError(err); e != nil {
		return e
	}
	switch {
	case errors.Is(err, version.ErrBadID):
		return &Error{Status: http.StatusBadRequest, Code: "bad_version", Message: err.Error(), Param: "version"}
	case errors.Is(err, version.ErrNotFound):
		return &Error{Status: http.StatusNotFound, Code: "version_not_found", Message: err.Error(), Param: "version"}
	case errors.As(err, &ue):
		return &Error{Status: http.StatusUnprocessableEntity, Code: "unservable", Message: ue.Error()}
	case errors.Is(err, version.ErrNoVersion):
		return &Error{Status: http.StatusServiceUnavailable, Code: "no_version", Message: err.Error()}
	case errors.As(err, &mb):
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: err.Error()}
	case errors.As(err, &ie):
		code := "bad_input"
		if errors.Is(ie, lookup.ErrUnknownMember) {
			code = "unknown_member"
		}
		return &Error{Status: http.StatusBadRequest, Code: code, Message: ie.Error(), Param: ie.Field, Index: &ie.Index, Line: ie.Line}
	case noSpace(err):
		return &Error{Status: http.StatusInsufficientStorage, Code: "insufficient_storage",
			Message: "the server's disk is full (" + syscallText(err) + "); nothing was changed: free space on the data directory's disk and retry"}
	}
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}
}

// incidentError maps the errors of packages incident and staff, or
// returns nil.
func incidentError(err error) *Error {
	var fe *incident.FieldError
	var le *staff.LineError
	switch {
	case errors.As(err, &fe):
		return &Error{Status: http.StatusBadRequest, Code: "invalid_field", Message: fe.Error(), Field: fe.Field, Line: fe.Line}
	case errors.As(err, &le):
		return &Error{Status: http.StatusBadRequest, Code: "invalid_field", Message: le.Error(), Field: le.Field, Line: le.Line}
	case errors.Is(err, incident.ErrNotFound):
		return &Error{Status: http.StatusNotFound, Code: "not_found", Message: err.Error()}
	case errors.Is(err, incident.ErrConflict):
		return &Error{Status: http.StatusConflict, Code: "conflict", Message: err.Error() + ": read it again and retry"}
	case errors.Is(err, incident.ErrNotAllowed):
		return &Error{Status: http.StatusConflict, Code: "not_allowed", Message: err.Error()}
	case errors.Is(err, incident.ErrForbidden):
		return &Error{Status: http.StatusForbidden, Code: "forbidden", Message: err.Error()}
	case errors.Is(err, incident.ErrOutside):
		return &Error{Status: http.StatusUnprocessableEntity, Code: "outside", Message: err.Error()}
	case errors.Is(err, incident.ErrUnavailable):
		return &Error{Status: http.StatusServiceUnavailable, Code: "store_unavailable", Message: "the incident store cannot be reached now; retry later"}
	}
	return nil
}

// errorHandler is echo's HTTPErrorHandler: every error becomes a problem
// document.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	e := httpError(err)
	if e.Status >= 500 {
		s.log.Printf("%s %s: %v", c.Request().Method, c.Request().URL.Path, err)
	}
	_ = s.writeProblem(c, e)
}

// writeProblem answers the request of c with the problem document of e.
func (s *Server) writeProblem(c echo.Context, e *Error) error {
	return c.Blob(e.Status, problemContentType, s.problemOf(c, e).encode())
}

// problemOf returns the problem document of e in the request of c: its
// instance is the request's path, its request id the one the observe
// middleware put in the answer's X-Request-ID header.
func (s *Server) problemOf(c echo.Context, e *Error) *problem {
	return newProblem(e, c.Request().URL.Path, c.Response().Header().Get(echo.HeaderXRequestID))
}
