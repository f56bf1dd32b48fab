package server

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

// batchBody is a batch lookup's body with its limits: the bytes sent
// (max_body_bytes), the bytes once decompressed (max_decoded_bytes) and
// the idle timeout (body_idle_timeout, from the limit middleware). The
// decoders of package lookup turn a read error into an input error of
// their own, so each limit keeps the error it raised for fault to find.
type batchBody struct {
	raw  io.ReadCloser // as sent, capped: finishBody drains it
	idle *idleBody     // nil when the route's middleware set none
	sent *capReader    // the bytes as sent
	dec  *capReader    // the bytes decompressed; nil for a plain body
	r    io.Reader     // what the batch reads
	zr   *gzip.Reader
}

// newBatchBody returns the body of c's batch, decompressed when gz.
func newBatchBody(c echo.Context, lim *LimitOptions, gz bool) (*batchBody, error) {
	req := c.Request()
	b := &batchBody{}
	b.idle, _ = req.Body.(*idleBody)
	b.raw = http.MaxBytesReader(c.Response(), req.Body, lim.MaxBodyBytes)
	b.sent = &capReader{r: b.raw, max: -1}
	b.r = b.sent
	if !gz {
		return b, nil
	}
	zr, err := gzip.NewReader(b.sent)
	if err != nil {
		if e := b.fault(); e != nil {
			return b, e
		}
		return b, &Error{Status: http.StatusBadRequest, Code: "bad_body", Param: "Content-Encoding", Message: "Content-Encoding gzip, but the body is not gzip: " + err.Error()}
	}
	b.zr = zr
	b.dec = &capReader{r: zr, max: lim.MaxDecodedBytes, key: keyMaxDecodedBytes,
		what: "the gzip body decompresses to more than"}
	b.r = b.dec
	return b, nil
}

// close closes the decompressor.
func (b *batchBody) close() {
	if b.zr != nil {
		_ = b.zr.Close()
	}
}

// fault returns the limit the body hit, as the error to answer, or nil:
// the idle timeout, the size as sent, the size decompressed.
func (b *batchBody) fault() *Error {
	if e := b.idle.cut(); e != nil {
		return e
	}
	var mb *http.MaxBytesError
	if errors.As(b.sent.err, &mb) {
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Limit: keyMaxBodyBytes,
			Message: fmt.Sprintf("the request body is larger than %d bytes (%s)", mb.Limit, keyMaxBodyBytes)}
	}
	if b.dec != nil && b.dec.hit != nil {
		return b.dec.hit
	}
	return nil
}

// capReader reads r and fails past max bytes (a negative max: no cap) with
// a 413 naming key. It keeps the first error other than io.EOF in err,
// and the 413 in hit.
type capReader struct {
	r    io.Reader
	max  int64
	n    int64
	key  string
	what string
	err  error
	hit  *Error
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.hit != nil {
		return 0, c.hit
	}
	if c.max >= 0 && int64(len(p)) > c.max-c.n+1 {
		p = p[:c.max-c.n+1] // one byte past the cap tells it is passed
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.max >= 0 && c.n > c.max {
		c.hit = &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Limit: c.key,
			Message: fmt.Sprintf("%s %d bytes (%s)", c.what, c.max, c.key)}
		return n - int(c.n-c.max), c.hit
	}
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
	return n, err
}
