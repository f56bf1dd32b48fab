package server

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
)

// net/http answers a request it cannot read (a malformed request line or
// header, a header over http.Server.MaxHeaderBytes, a missing or malformed
// Host, an unsupported protocol version or transfer coding) itself, before
// any handler runs, by writing a canned text answer straight to the
// connection and closing it:
//
//	"HTTP/1.1 " + status + cannedHeaders + text
//
// where text repeats the status ("400 Bad Request: missing required Host
// header"), or is "Unsupported transfer encoding" for a 501. It is one Write
// on the net.Conn, never through the buffered writer that carries the
// handlers' answers, whose headers come sorted (Connection before
// Content-Type) and always with a Date. problemConn recognises exactly that
// Write and sends a problem document with the same meaning instead.
const cannedHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

// problemListener hands out connections whose canned net/http error
// answers become problem documents (problemConn). Wrap the plain TCP
// listener: over TLS, http.Server must see the *tls.Conn itself, so the
// wrapper goes under the TLS layer and sees only ciphertext, and the canned
// answers stay text.
type problemListener struct{ net.Listener }

// Accept returns the next connection, wrapped.
func (l problemListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &problemConn{Conn: c}, nil
}

// problemConn is a connection whose canned net/http error answer is
// rewritten to a problem document. Every other Write passes through after a
// comparison of a few bytes.
type problemConn struct{ net.Conn }

// Write writes p, or the problem document of p when p is a canned answer.
func (c *problemConn) Write(p []byte) (int, error) {
	doc, ok := problemAnswer(p)
	if !ok {
		return c.Conn.Write(p)
	}
	if _, err := c.Conn.Write(doc); err != nil {
		return 0, err
	}
	return len(p), nil
}

// CloseWrite half-closes the connection when the underlying one can:
// net/http does so after a 431, so that the client reads the answer before
// the connection is reset.
func (c *problemConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// ReadFrom lets net/http copy a response body with the underlying
// connection's ReadFrom (sendfile, splice) when it has one; a canned
// answer is never copied this way.
func (c *problemConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c}, r)
}

// problemAnswer returns the HTTP answer that replaces p when p is one of
// net/http's canned error answers, and whether it is.
func problemAnswer(p []byte) ([]byte, bool) {
	const proto = "HTTP/1.1 "
	// the fast refusal of every answer of a handler (2xx, 3xx) and of
	// every body write
	if len(p) < len(proto)+3 || (p[len(proto)] != '4' && p[len(proto)] != '5') || !bytes.HasPrefix(p, []byte(proto)) {
		return nil, false
	}
	line, text, ok := bytes.Cut(p[len(proto):], []byte(cannedHeaders))
	if !ok || bytes.ContainsAny(line, "\r\n") || len(line) < 4 || line[3] != ' ' {
		return nil, false
	}
	status, err := strconv.Atoi(string(line[:3]))
	if err != nil {
		return nil, false
	}
	var e *Error
	switch {
	case status == http.StatusNotImplemented && string(text) == "Unsupported transfer encoding":
		e = &Error{Status: http.StatusBadRequest, Code: "bad_request", Param: "Transfer-Encoding",
			Message: "unsupported transfer encoding: send the body plain or chunked (Content-Encoding: gzip compresses a batch)"}
	case !bytes.Equal(line, text):
		return nil, false
	case status == http.StatusRequestHeaderFieldsTooLarge:
		e = &Error{Status: status, Code: "header_too_large", Limit: "limits.max_header_bytes",
			Message: "the request's header is larger than this server takes"}
	default:
		e = cannedError(status, string(line))
	}
	doc := newProblem(e, "", "").encode()
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nConnection: close\r\nContent-Length: %d\r\n\r\n",
		e.Status, http.StatusText(e.Status), problemContentType, len(doc))
	b.Write(doc)
	return b.Bytes(), true
}

// cannedError is the Error of a canned answer of status with the status
// line line ("400 Bad Request: missing required Host header"). Every
// canned answer is the client's fault, so every one is a 400: a request
// of an HTTP version other than 1.x, which net/http answers 505, too.
func cannedError(status int, line string) *Error {
	reason := "the request line or a header is malformed"
	if _, r, ok := bytes.Cut([]byte(line), []byte(": ")); ok {
		reason = string(r)
	}
	if status == http.StatusHTTPVersionNotSupported {
		reason += " (this server speaks HTTP/1.0 and HTTP/1.1)"
	}
	return &Error{Status: http.StatusBadRequest, Code: "bad_request", Message: "malformed request: " + reason}
}
