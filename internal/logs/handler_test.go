package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/slogtest"
	"time"
)

// at is the time of the records of the tests: not on a millisecond, so
// the text handler's rounding shows.
var at = time.Date(2026, 12, 7, 8, 9, 10, 123456789, time.FixedZone("CST", 8*3600))

// records are records the fast path takes (fast) and others it hands to
// slog's handler.
var records = []struct {
	name  string
	fast  bool
	level slog.Level
	msg   string
	attrs []slog.Attr
}{
	{"request line", true, slog.LevelInfo, "request", []slog.Attr{
		slog.String("id", "5f3a9c0e12ab-42"), slog.String("method", "GET"), slog.String("route", "lookup"),
		slog.String("path", "/api/v1/lookup"), slog.String("query", "lon=120.28&lat=31.85&key=REDACTED"),
		slog.Int("status", 200), slog.Int64("bytes", 1234), slog.Duration("duration", 48213*time.Nanosecond),
		slog.String("remote", "127.0.0.1:53422"), slog.String("key", "hotline")}},
	{"empty and quoted strings", true, slog.LevelWarn, "a b", []slog.Attr{
		slog.String("empty", ""), slog.String("space", "a b"), slog.String("eq", "a=b"),
		slog.String("quote", `say "hi"`), slog.String("backslash", `C:\x`), slog.String("punct", "{}[]<>&,;!?#$%^*()")}},
	{"numbers", true, slog.LevelError + 2, "n", []slog.Attr{
		slog.Int("neg", -12), slog.Uint64("u", 1<<63), slog.Bool("t", true), slog.Bool("f", false),
		slog.Duration("zero", 0), slog.Duration("long", 90*time.Minute+time.Millisecond)}},
	{"no attributes", true, slog.LevelDebug, "", nil},
	{"non-ASCII value", false, slog.LevelInfo, "request", []slog.Attr{slog.String("key", "江阴-12345")}},
	{"non-ASCII message", false, slog.LevelInfo, "导入", nil},
	{"control character", false, slog.LevelInfo, "m", []slog.Attr{slog.String("s", "a\nb")}},
	{"float", false, slog.LevelInfo, "m", []slog.Attr{slog.Float64("x", 0.1)}},
	{"time value", false, slog.LevelInfo, "m", []slog.Attr{slog.Time("t", at)}},
	{"group", false, slog.LevelInfo, "m", []slog.Attr{slog.Group("g", slog.Int("a", 1))}},
	{"any", false, slog.LevelInfo, "m", []slog.Attr{slog.Any("err", io.EOF)}},
	{"quoted key", false, slog.LevelInfo, "m", []slog.Attr{slog.Int("a b", 1)}},
	{"empty key", false, slog.LevelInfo, "m", []slog.Attr{slog.Int("", 1)}},
}

// TestSameAsSlog writes each record through Handler and through slog's
// own handler of the same format and compares the lines byte for byte,
// and checks that the records meant for the fast path take it.
func TestSameAsSlog(t *testing.T) {
	for _, f := range []Format{FormatText, FormatJSON} {
		for _, tc := range records {
			t.Run(string(f)+"/"+tc.name, func(t *testing.T) {
				r := slog.NewRecord(at, tc.level, tc.msg, 0)
				r.AddAttrs(tc.attrs...)
				var got, want bytes.Buffer
				opts := &slog.HandlerOptions{Level: slog.LevelDebug}
				if err := NewHandler(f, &got, opts).Handle(context.Background(), r); err != nil {
					t.Fatal(err)
				}
				std := slog.Handler(slog.NewTextHandler(&want, opts))
				if f == FormatJSON {
					std = slog.NewJSONHandler(&want, opts)
				}
				if err := std.Handle(context.Background(), r); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Errorf("\n got %s\nwant %s", got.String(), want.String())
				}
				if _, fast := appendRecord(nil, r, f == FormatJSON); fast != tc.fast {
					t.Errorf("fast path %v, want %v", fast, tc.fast)
				}
			})
		}
	}
}

// TestZeroTime: a record without a time has no time key, as in slog.
func TestZeroTime(t *testing.T) {
	for _, f := range []Format{FormatText, FormatJSON} {
		var buf bytes.Buffer
		r := slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)
		r.AddAttrs(slog.Int("a", 1))
		if err := NewHandler(f, &buf, nil).Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		want := map[Format]string{FormatText: "level=INFO msg=m a=1\n", FormatJSON: `{"level":"INFO","msg":"m","a":1}` + "\n"}[f]
		if buf.String() != want {
			t.Errorf("%s: got %q, want %q", f, buf.String(), want)
		}
	}
}

// TestSlogtest runs the standard library's conformance test of handlers
// on the JSON handler (its lines parse back into the maps it wants).
func TestSlogtest(t *testing.T) {
	var buf bytes.Buffer
	results := func() []map[string]any {
		var ms []map[string]any
		for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte{'\n'}) {
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			ms = append(ms, m)
		}
		return ms
	}
	if err := slogtest.TestHandler(NewHandler(FormatJSON, &buf, nil), results); err != nil {
		t.Error(err)
	}
}

// TestOptionsTakeSlog: with ReplaceAttr or AddSource the handler is
// slog's own.
func TestOptionsTakeSlog(t *testing.T) {
	for _, opts := range []*slog.HandlerOptions{
		{AddSource: true},
		{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr { return a }},
	} {
		if _, ok := NewHandler(FormatJSON, io.Discard, opts).(*Handler); ok {
			t.Errorf("%+v: the fast handler", opts)
		}
	}
}

// TestLinesWhole writes from many goroutines through both paths (fast and
// slog's) to one writer that is not safe for concurrent use, and checks
// that every line comes out whole.
func TestLinesWhole(t *testing.T) {
	var buf bytes.Buffer
	log := New(FormatJSON, &buf, nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				if (g+i)%2 == 0 {
					log.Info("fast", "g", g, "i", i)
				} else {
					log.Info("slow", "x", 0.5, "g", g)
				}
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 1600 {
		t.Fatalf("%d lines, want 1600", len(lines))
	}
	for _, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Fatalf("broken line %q", l)
		}
	}
}

// TestRequestLineAllocs: the request line allocates nothing to format and
// write.
func TestRequestLineAllocs(t *testing.T) {
	r := slog.NewRecord(at, records[0].level, records[0].msg, 0)
	r.AddAttrs(records[0].attrs...)
	for _, f := range []Format{FormatText, FormatJSON} {
		h := NewHandler(f, io.Discard, nil)
		if n := testing.AllocsPerRun(1000, func() { _ = h.Handle(context.Background(), r) }); n != 0 {
			t.Errorf("%s: %v allocations per line", f, n)
		}
	}
}

// BenchmarkRequestLine: the request line through slog's handlers and
// through Handler, in both formats, to io.Discard.
func BenchmarkRequestLine(b *testing.B) {
	r := slog.NewRecord(at, records[0].level, records[0].msg, 0)
	r.AddAttrs(records[0].attrs...)
	for _, f := range []Format{FormatText, FormatJSON} {
		std := slog.Handler(slog.NewTextHandler(io.Discard, nil))
		if f == FormatJSON {
			std = slog.NewJSONHandler(io.Discard, nil)
		}
		for _, h := range []struct {
			name string
			h    slog.Handler
		}{{"slog", std}, {"logs", NewHandler(f, io.Discard, nil)}} {
			b.Run(string(f)+"/"+h.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					_ = h.h.Handle(context.Background(), r)
				}
			})
		}
	}
}
