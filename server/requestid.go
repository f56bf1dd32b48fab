package server

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync/atomic"

	"github.com/labstack/echo/v4"
)

// Request ids: each request gets one, taken from its X-Request-ID header
// when that is a valid id (a proxy or the client made it), else a new one;
// the answer returns it in its own X-Request-ID, the log line and problem
// documents carry it.
const (
	// requestIDHeader is X-Request-ID in the canonical form Go keeps
	// header names in.
	requestIDHeader = "X-Request-Id"
	// maxRequestIDLen bounds an incoming id: a UUID is 36 bytes, a W3C
	// traceparent 55.
	maxRequestIDLen = 64
)

// requestIDs makes new request ids: a random prefix per server, so that the
// ids of two servers or two runs differ, and a counter.
type requestIDs struct {
	prefix string // 12 hex digits and '-'
	n      atomic.Uint64
}

// newRequestIDs returns a generator with a new random prefix.
func newRequestIDs() *requestIDs {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24)
	return &requestIDs{prefix: hex.EncodeToString(b[:]) + "-"}
}

// next returns a new id, such as "5f3a9c0e12ab-42".
func (g *requestIDs) next() string {
	var b [40]byte
	n := copy(b[:], g.prefix)
	return string(strconv.AppendUint(b[:n], g.n.Add(1), 10))
}

// validRequestID reports whether an incoming id may be used: 1 to
// maxRequestIDLen bytes of letters, digits and - _ . : + / = @ (what ids
// and trace headers use; nothing that could forge or break a log line).
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '_', c == '.', c == ':', c == '+', c == '/', c == '=', c == '@':
		default:
			return false
		}
	}
	return true
}

// setRequestID gives the request its id and puts it in the answer's
// X-Request-ID header, where requestID reads it back. A valid incoming id
// is kept (its header value is shared, nothing is allocated); one is made
// otherwise.
func (s *Server) setRequestID(c echo.Context) {
	if v := c.Request().Header[requestIDHeader]; len(v) == 1 && validRequestID(v[0]) {
		c.Response().Header()[requestIDHeader] = v
		return
	}
	c.Response().Header()[requestIDHeader] = []string{s.ids.next()}
}

// requestID returns the id of the request of c (for problem documents and
// logs), "" before observe gave it one.
func requestID(c echo.Context) string {
	if v := c.Response().Header()[requestIDHeader]; len(v) > 0 {
		return v[0]
	}
	return ""
}
