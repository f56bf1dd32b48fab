// Package logs makes gridmap's log handlers: log/slog's own text and JSON
// handlers, with a fast path that writes the same bytes for the records the
// server writes most (the request log line: a message and flat attributes
// of strings, integers, booleans and durations, all ASCII). Every other
// record, and every handler made by WithAttrs or WithGroup, goes to slog's
// handler unchanged.
package logs

import (
	"context"
	"io"
	"log/slog"
	"sync"
)

// Format names a log format: FormatText (slog's key=value) or FormatJSON.
type Format string

// The log formats.
const (
	FormatText Format = "text"
	FormatJSON Format = "json"
)

// New returns a logger writing lines of format f to w, as
// slog.NewTextHandler or slog.NewJSONHandler would with opts (nil: level
// info), through Handler.
func New(f Format, w io.Writer, opts *slog.HandlerOptions) *slog.Logger {
	return slog.New(NewHandler(f, w, opts))
}

// NewHandler returns the handler of New. With a ReplaceAttr or AddSource
// in opts it is slog's handler itself (the fast path takes neither).
func NewHandler(f Format, w io.Writer, opts *slog.HandlerOptions) slog.Handler {
	if opts == nil {
		opts = &slog.HandlerOptions{}
	}
	h := &Handler{w: w, mu: new(sync.Mutex), json: f == FormatJSON}
	lw := lockedWriter{h.mu, w}
	if h.json {
		h.std = slog.NewJSONHandler(lw, opts)
	} else {
		h.std = slog.NewTextHandler(lw, opts)
	}
	if opts.ReplaceAttr != nil || opts.AddSource {
		return h.std
	}
	return h
}

// Handler is slog's text or JSON handler with a fast path: a record whose
// attributes the fast path can write (see package doc) is formatted here,
// into a pooled buffer, and written whole; any other goes to slog's
// handler. Both write under one lock, a line at a time.
type Handler struct {
	std  slog.Handler
	w    io.Writer
	mu   *sync.Mutex
	json bool
}

// Enabled reports whether records of level l are written.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.std.Enabled(ctx, l) }

// WithAttrs returns slog's handler with attrs (no fast path).
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler { return h.std.WithAttrs(attrs) }

// WithGroup returns slog's handler with group name (no fast path).
func (h *Handler) WithGroup(name string) slog.Handler { return h.std.WithGroup(name) }

// Handle writes r as one line.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	bp := bufPool.Get().(*[]byte)
	defer putBuf(bp)
	b, ok := appendRecord((*bp)[:0], r, h.json)
	if !ok {
		return h.std.Handle(ctx, r)
	}
	*bp = b
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := h.w.Write(b)
	return err
}

// bufPool holds line buffers; lines longer than maxPooled are not kept.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

const maxPooled = 16 << 10

func putBuf(bp *[]byte) {
	if cap(*bp) <= maxPooled {
		bufPool.Put(bp)
	}
}

// lockedWriter writes to w under mu: slog's handler and the fast path
// share one writer.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
