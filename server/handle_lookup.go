package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/lookup"
	"github.com/labstack/echo/v4"
)

// lookupBuf is the per-request scratch of single lookups, pooled so that a
// lookup allocates nothing.
type lookupBuf struct {
	b    []byte
	hits []index.Hit
	q    lookup.Query
	opts lookup.Options
	// layers is the room of opts.Query.Layers, kept when a request without
	// a layer filter clears it
	layers []bool
	// withStaff: the query asked for the people of the chain's grids
	withStaff bool
}

var lookupPool = sync.Pool{New: func() any { return &lookupBuf{b: make([]byte, 0, 4096), hits: make([]index.Hit, 0, 16)} }}

// handleLookup answers GET /api/v1/lookup?lon=..&lat=.. with the chain of
// the point, finest layer first. Optional: crs=NAME (a geographic system of geo/crs: wgs84, gcj02, bd09, cgcs2000, EPSG:4326…; of
// lon/lat), layers=a,b (only these layers), nearest=METRES (the nearest grid
// for a point outside every grid), boundary=METRES (tolerance of the
// per-layer "boundary" flag, default 1), with=staff (the people of each
// grid of the chain: lookup_staff.go).
func (s *Server) handleLookup(c echo.Context) error {
	snap, err := s.snap()
	if err != nil {
		return err
	}
	buf := lookupPool.Get().(*lookupBuf)
	q, err := buf.parseQuery(c.Request().URL.RawQuery, snap.Data)
	if err != nil {
		lookupPool.Put(buf)
		return err
	}
	buf.b, buf.hits = snap.Encoder.AppendLookup(buf.b[:0], buf.hits, q)
	if buf.withStaff {
		if buf.b, err = s.addStaff(c, buf.b); err != nil {
			lookupPool.Put(buf)
			return err
		}
	}
	buf.b = append(buf.b, '\n')
	h := c.Response().Header()
	h["Content-Type"] = jsonContentType
	h["X-Gridmap-Version"] = snap.IDs
	c.Response().WriteHeader(http.StatusOK)
	_, err = c.Response().Write(buf.b)
	lookupPool.Put(buf)
	s.metrics.Lookup()
	return err
}

var jsonContentType = []string{"application/json; charset=utf-8"}

// handleBatchLookup answers POST /api/v1/lookup: a batch of points in JSON,
// NDJSON or CSV (by Content-Type), answered in the same format, streamed.
// The query takes the options of handleLookup, applied to every point.
// Bad input found before the first 512 KiB of answer (lookup.WriteChunk) is
// sent gets a 400 with a JSON body; later, the answer ends with the format's
// error trailer. When the client pauses its input mid-batch, the answers so
// far are sent at once (and the 200 with them): points sent one by one over
// an open request are answered one by one.
//
// Limits (LimitOptions): the body as sent, the body decompressed and the
// points are capped (413 naming the limit); a body that sends nothing for
// body_idle_timeout is cut (408), so an interactive client sends something
// (a blank NDJSON line will do) at least that often.
func (s *Server) handleBatchLookup(c echo.Context) error {
	snap, err := s.snap()
	if err != nil {
		return err
	}
	req := c.Request()
	f, err := lookup.ParseFormat(req.Header.Get("Content-Type"))
	if err != nil {
		return &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Message: err.Error(), Param: "Content-Type"}
	}
	params := scanLookupParams(req.URL.RawQuery)
	if err := params.checkBatch(); err != nil {
		return err
	}
	opts, err := lookupOptions(&params, snap.Data, &lookup.Options{})
	if err != nil {
		return err
	}
	// a gzip-compressed request body (a million points compress tenfold);
	// refused encodings are answered before full duplex is on, so that the
	// server drains the unread body and the client reads the answer
	gz, err := bodyEncoding(req.Header.Values("Content-Encoding"))
	if err != nil {
		return err
	}
	// read the request while the answer streams: without full duplex, Go's
	// HTTP/1 server discards the unread part of a chunked request body once
	// the answer grows, and points would be lost
	rc := http.NewResponseController(c.Response().Writer)
	_ = rc.EnableFullDuplex()
	lim := s.limits()
	body, err := newBatchBody(c, lim, gz)
	// whatever ends the batch, the rest of the body is read before the
	// handler returns (see finishBody)
	defer finishBody(c, rc, body.raw, body.idle, s.opts.BatchWriteStall)
	defer body.close()
	if err != nil {
		return err
	}
	opts = withMaxPoints(opts, lim.MaxBatchPoints)
	w := &commitWriter{c: c, rc: rc, stall: s.opts.BatchWriteStall, limit: lookup.WriteChunk, contentType: f.ContentType(), version: snap.Encoder.Version()}
	n, err := snap.Encoder.Batch(body.r, w, f, opts)
	if err != nil {
		if w.committed {
			s.metrics.BatchPoints(n)
		}
		return batchError(c, w, body, n, err)
	}
	if err := w.flush(); err != nil {
		return err
	}
	c.Response().Header().Set(trailerPoints, strconv.Itoa(n))
	s.metrics.BatchPoints(n)
	return nil
}

// withMaxPoints returns the options of a batch with its cap on points.
func withMaxPoints(o *lookup.Options, max int) *lookup.Options {
	if o == nil {
		o = &lookup.Options{}
	}
	o.MaxPoints = max
	return o
}

// batchError answers a batch that ended on err after n points: once the
// 200 is sent, in the trailers (and, for JSON and NDJSON, the error member
// or line the batch wrote); before, as an error answer: a limit the body
// hit (408, 413), too many points (413), bad input (400).
func batchError(c echo.Context, w *commitWriter, body *batchBody, n int, err error) error {
	fault := body.fault()
	var tp *lookup.TooManyPointsError
	switch {
	case w.committed:
		h := c.Response().Header()
		h.Set(trailerPoints, strconv.Itoa(n))
		if fault != nil {
			err = fault
		}
		h.Set(trailerError, err.Error())
		return nil
	case fault != nil:
		return fault
	case errors.As(err, &tp):
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Limit: keyMaxBatchPoints,
			Message: tp.Error() + " (" + keyMaxBatchPoints + ")", Index: &tp.Index, Line: tp.Line}
	}
	return err // httpError: bad input 400 (unknown_member for a body member), too large 413
}

// bodyEncoding reads the Content-Encoding header lines of a batch: gzip (or
// x-gzip) once, with any number of identity; anything else is a 415.
func bodyEncoding(values []string) (gzip bool, err error) {
	var codings []string
	for _, v := range values {
		for _, c := range strings.Split(v, ",") {
			c = strings.ToLower(strings.TrimSpace(c))
			if c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	switch {
	case len(codings) == 0:
		return false, nil
	case len(codings) == 1 && (codings[0] == "gzip" || codings[0] == "x-gzip"):
		return true, nil
	}
	return false, &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_encoding", Param: "Content-Encoding",
		Message: fmt.Sprintf("Content-Encoding %q is not supported (send the body plain or gzip, once)", strings.Join(values, ", "))}
}

// Limits of finishBody: how much of a batch body left unread it reads, and
// how long it waits for it.
const (
	drainMax  = 256 << 20
	drainWait = 5 * time.Second
)

// finishBody ends a batch whose body may be partly unread (bad input, or
// the answer could not be written): it sends what the answer holds so far,
// then reads and discards the rest of the body (at most drainMax, waiting at
// most drainWait for it) and closes it. A client that sends its whole body
// while reading the answer then gets the whole answer, error and trailers,
// instead of a connection reset; and Go's HTTP/1 server, with full duplex
// on, panics on the next request of the connection when a handler leaves
// its body unread (golang/go#68560).
func finishBody(c echo.Context, rc *http.ResponseController, body io.ReadCloser, idle *idleBody, stall time.Duration) {
	if c.Response().Committed {
		// the end of the answer (last chunk, trailers) is written after
		// this; a long-open interactive batch may have outlived the last
		// write's deadline
		_ = rc.SetWriteDeadline(time.Now().Add(stall))
		_ = rc.Flush()
	}
	if idle.cut() != nil {
		// the client went idle: more reading would wait for nothing
		_ = rc.SetReadDeadline(time.Now())
		_ = body.Close()
		return
	}
	by := time.Now().Add(drainWait)
	idle.drainBy(by) // or it would push the deadline on with each read
	_ = rc.SetReadDeadline(by)
	_, _ = io.Copy(io.Discard, io.LimitReader(body, drainMax))
	_ = body.Close() // within the deadline: Close too reads what is left
	_ = rc.SetReadDeadline(time.Time{})
}

// Trailers of a batch answer: the number of points answered, and the error
// that ended a batch after its answer had started.
const (
	trailerPoints = "X-Gridmap-Points"
	trailerError  = "X-Gridmap-Error"
)

// commitWriter holds the answer back until limit bytes, so that an input
// error found early still becomes a clean 400; past the limit it commits the
// 200 and streams.
type commitWriter struct {
	c           echo.Context
	rc          *http.ResponseController
	stall       time.Duration // Options.BatchWriteStall
	limit       int
	contentType string
	version     string
	buf         []byte
	committed   bool
}

func (w *commitWriter) Write(p []byte) (int, error) {
	if w.committed {
		// a client that does not read its answer (one that sends its
		// whole body first) stalls the batch: give up after w.stall
		_ = w.rc.SetWriteDeadline(time.Now().Add(w.stall))
		n, err := w.c.Response().Write(p)
		w.c.Response().Flush()
		return n, err
	}
	w.buf = append(w.buf, p...)
	if len(w.buf) >= w.limit {
		if err := w.flush(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush sends the answer so far on to the client (lookup.Flusher): the
// batch's input has paused, so the client may be waiting for it. It commits
// the 200.
func (w *commitWriter) Flush() error {
	if err := w.flush(); err != nil {
		return err
	}
	w.c.Response().Flush()
	return nil
}

func (w *commitWriter) flush() error {
	if !w.committed {
		w.committed = true
		h := w.c.Response().Header()
		h.Set("Content-Type", w.contentType)
		h.Set("X-Gridmap-Version", w.version)
		h.Set("Trailer", trailerPoints+", "+trailerError)
		w.c.Response().WriteHeader(http.StatusOK)
	}
	if len(w.buf) > 0 {
		_ = w.rc.SetWriteDeadline(time.Now().Add(w.stall))
		_, err := w.c.Response().Write(w.buf)
		w.buf = nil
		return err
	}
	return nil
}
