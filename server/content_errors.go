package server

import (
	"fmt"
	"net/http"
)

// contentErrors stands between http.ServeContent and the response, whose
// refusals (416 for a Range it cannot satisfy, 412 for a failed
// If-Match or If-Unmodified-Since) it writes as text: it keeps their
// status and headers (Content-Range of a 416) and drops their text, so
// that the handler returns them as problem documents instead.
type contentErrors struct {
	http.ResponseWriter
	status int // the refusal's, 0 while there is none
}

// WriteHeader passes on every status but a refusal's, whose text type it
// takes back.
func (w *contentErrors) WriteHeader(code int) {
	if code >= 400 {
		w.status = code
		w.Header().Del("Content-Type")
		w.Header().Del("X-Content-Type-Options")
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write drops the text of a refusal.
func (w *contentErrors) Write(b []byte) (int, error) {
	if w.status != 0 {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// err returns the refusal as an *Error, or nil.
func (w *contentErrors) err(name string) error {
	switch w.status {
	case 0:
		return nil
	case http.StatusRequestedRangeNotSatisfiable:
		return &Error{Status: w.status, Code: "range_not_satisfiable", Param: "Range",
			Message: fmt.Sprintf("the Range asks for no byte of %s (see Content-Range for its size)", name)}
	case http.StatusPreconditionFailed:
		return &Error{Status: w.status, Code: "precondition_failed",
			Message: fmt.Sprintf("%s does not match the request's If-Match or If-Unmodified-Since", name)}
	}
	return &Error{Status: w.status, Code: "bad_request", Message: http.StatusText(w.status)}
}
