package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/labstack/echo/v4"
)

// httpServer returns the http.Server of s with every timeout set
// explicitly from the limits. ReadTimeout and WriteTimeout are the plain
// deadlines of the routes that do not stream; the streaming ones lift them
// (liftDeadlines) and cut a body that goes idle instead (idleBody).
func (s *Server) httpServer() *http.Server {
	lim := s.limits()
	return &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		ReadTimeout:       lim.ReadTimeout,
		WriteTimeout:      lim.WriteTimeout,
		IdleTimeout:       lim.IdleTimeout,
		MaxHeaderBytes:    lim.MaxHeaderBytes,
		ErrorLog:          s.log,
	}
}

// streams reports whether route r streams its body or its answer (batch
// lookups, imports, the event stream), so that the whole-request deadlines
// of http.Server cannot fit it.
func streams(r route) bool { return r.heavy || eventStream(r) }

// eventStream reports whether route r is a Server-Sent Events stream (the
// version events, the incident stream): no HEAD, no whole-request
// deadlines.
func eventStream(r route) bool { return r.name == "events" || r.name == "stream" }

// liftDeadlines takes http.Server's ReadTimeout and WriteTimeout off a
// request of a streaming route: a request with a body gets idleBody's
// deadline instead, one without (the event stream) none (net/http's
// background read of the connection would otherwise end it at the
// ReadTimeout). A batch sets write deadlines of its own as it writes.
func (s *Server) liftDeadlines(c echo.Context) {
	rc := http.NewResponseController(c.Response().Writer)
	_ = rc.SetWriteDeadline(time.Time{})
	req := c.Request()
	if req.Body == nil || req.Body == http.NoBody {
		_ = rc.SetReadDeadline(time.Time{})
		return
	}
	req.Body = newIdleBody(req.Body, rc, s.limits().BodyIdleTimeout)
}

// idleBody is the body of a streaming request: each Read pushes the
// connection's read deadline idle ahead, so a body that sends nothing for
// idle is cut (a 408 timeout) however long the whole takes; at its end the
// deadline is taken off, as the request may still run long (an import).
type idleBody struct {
	r    io.ReadCloser
	rc   *http.ResponseController
	idle time.Duration
	// by is a deadline for the rest of the body (drainBy); zero: none
	by time.Time
	// err is the timeout that cut the body, if one did
	err *Error
}

// newIdleBody wraps body and starts its clock: the first byte too must come
// within idle.
func newIdleBody(body io.ReadCloser, rc *http.ResponseController, idle time.Duration) *idleBody {
	b := &idleBody{r: body, rc: rc, idle: idle}
	_ = rc.SetReadDeadline(time.Now().Add(idle))
	return b
}

func (b *idleBody) Read(p []byte) (int, error) {
	d := time.Now().Add(b.idle)
	if !b.by.IsZero() && b.by.Before(d) {
		d = b.by
	}
	_ = b.rc.SetReadDeadline(d)
	n, err := b.r.Read(p)
	switch {
	case err == io.EOF:
		_ = b.rc.SetReadDeadline(time.Time{})
	case errors.Is(err, os.ErrDeadlineExceeded) && b.by.IsZero():
		b.err = &Error{Status: http.StatusRequestTimeout, Code: "timeout", Limit: keyBodyIdleTimeout,
			Message: fmt.Sprintf("the request body sent nothing for %v (%s); the request was cut", b.idle, keyBodyIdleTimeout)}
		return n, b.err
	}
	return n, err
}

// Close closes the body.
func (b *idleBody) Close() error { return b.r.Close() }

// drainBy bounds the reads of the rest of the body by t: finishBody reads
// what is left of a batch's body only so long. Safe on a nil *idleBody.
func (b *idleBody) drainBy(t time.Time) {
	if b != nil {
		b.by = t
	}
}

// cut returns the timeout that cut the body, or nil. Safe on a nil
// *idleBody.
func (b *idleBody) cut() *Error {
	if b == nil || b.err == nil {
		return nil
	}
	return b.err
}
