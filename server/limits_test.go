package server_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
)

// problem is the error body of an answer, as the tests read it: the
// members of the error document, whether they sit at the top (a problem
// document) or under "error".
type problem struct {
	Status int    `json:"status"`
	Code   string `json:"code"`
	Limit  string `json:"limit"`
	Index  *int   `json:"index"`
	Line   int    `json:"line"`
	Detail string `json:"detail"`
	Msg    string `json:"message"`
}

func problemOf(t *testing.T, body []byte) problem {
	t.Helper()
	var wrapped struct {
		Error *problem `json:"error"`
	}
	if err := json.Unmarshal(body, &wrapped); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	if wrapped.Error != nil {
		return *wrapped.Error
	}
	var p problem
	json.Unmarshal(body, &p)
	return p
}

// text is the problem's sentence.
func (p problem) text() string { return p.Detail + p.Msg }

// limitServer runs a real server on loopback over store st with lim, until
// the test ends.
func limitServer(t *testing.T, st store.Store, o server.Options) (string, *server.Server) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	srv, _, err := server.NewTestServer(ctx, catalog.Options{Store: st, Poll: -1, Uploads: t.TempDir()}, o)
	if err != nil {
		t.Fatal(err)
	}
	base, err := serveLoopback(ctx, srv)
	if err != nil {
		t.Fatal(err)
	}
	return base, srv
}

// serveLoopback serves srv on a loopback port until ctx ends and returns
// its URL.
func serveLoopback(ctx context.Context, srv *server.Server) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go srv.Serve(ctx, ln)
	return "http://" + ln.Addr().String(), nil
}

// csvPoints returns a CSV batch of n points inside Jiangyin.
func csvPoints(n int) []byte { return csvBatch(n, 1) }

// csvLong returns a CSV batch of n points whose ids are 60 bytes long.
func csvLong(n int) []byte { return csvBatch(n, 60) }

// csvBatch returns a CSV batch of n points inside Jiangyin, whose ids are
// numbers of at least width digits.
func csvBatch(n, width int) []byte {
	var b bytes.Buffer
	b.WriteString("id,lon,lat\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%0*d,120.2817,31.9065\n", width, i)
	}
	return b.Bytes()
}

func gzipped(b []byte) []byte {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(b)
	w.Close()
	return z.Bytes()
}

// TestBatchLimits sends batches past each of their limits to a real server
// with small ones: the decompressed size of a gzip body, the points, and
// the size as sent, each refused with a 413 whose "limit" names the config
// key, and batches just under them answered.
func TestBatchLimits(t *testing.T) {
	start(t)
	base, _ := limitServer(t, st, server.Options{Limits: server.LimitOptions{
		MaxBodyBytes: 64 << 10, MaxDecodedBytes: 32 << 10, MaxBatchPoints: 1000,
	}})
	small := csvPoints(100)   // 2.5 kB
	points := csvPoints(1001) // 24 kB: under the sizes, past the points
	decoded := csvLong(600)   // 51 kB: past max_decoded_bytes before 1000 points, 2 kB gzip
	sent := csvLong(900)      // 76 kB plain: past max_body_bytes before 1000 points
	for _, tc := range []struct {
		name      string
		body      []byte
		gz        bool
		status    int
		limit     string
		wantIndex int
	}{
		{"small", small, false, 200, "", 0},
		{"small gzip", small, true, 200, "", 0},
		{"points plain", points, false, 413, "limits.max_batch_points", 1000},
		{"points gzip", gzipped(points), true, 413, "limits.max_batch_points", 1000},
		{"decoded", gzipped(decoded), true, 413, "limits.max_decoded_bytes", -1},
		{"sent", sent, false, 413, "limits.max_body_bytes", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if tc.gz && tc.status == 200 {
				body = gzipped(body)
			}
			req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/lookup", bytes.NewReader(body))
			req.Header.Set("Content-Type", "text/csv")
			if tc.gz {
				req.Header.Set("Content-Encoding", "gzip")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, tc.status, b)
			}
			if tc.status == 200 {
				if n := resp.Trailer.Get("X-Gridmap-Points"); n != "100" {
					t.Errorf("points answered %q, want 100", n)
				}
				return
			}
			p := problemOf(t, b)
			if p.Code != "too_large" || p.Limit != tc.limit || !strings.Contains(p.text(), tc.limit) {
				t.Errorf("problem %+v, want too_large naming %s", p, tc.limit)
			}
			if tc.wantIndex >= 0 && (p.Index == nil || *p.Index != tc.wantIndex || p.Line != tc.wantIndex+2) {
				t.Errorf("problem at index %v line %d, want index %d line %d", p.Index, p.Line, tc.wantIndex, tc.wantIndex+2)
			}
		})
	}
}

// idleConn opens a connection to base and sends the header of a request
// with a body of 1000 bytes, and 10 of them; then nothing.
func idleConn(t *testing.T, base, path, ctype string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: 1000\r\n\r\nid,lon,la", path, adminToken, ctype)
	return conn
}

// TestIdleBodyCut holds 40 batch POSTs and 5 imports open on real
// connections, each having sent its header and a few bytes of body, then
// nothing: with body_idle_timeout at 300 ms each is answered 408 (or its
// connection closed) while a normal lookup is answered all the same.
// Without the idle timeout they wait for their bodies for ever (here: the
// test's 20 s read deadline).
func TestIdleBodyCut(t *testing.T) {
	start(t)
	base, _ := limitServer(t, st, server.Options{Auth: server.AuthOptions{AdminToken: adminToken}, Limits: server.LimitOptions{
		BodyIdleTimeout: 300 * time.Millisecond, HeavyConcurrency: 100,
	}})
	var conns []net.Conn
	for i := 0; i < 40; i++ {
		conns = append(conns, idleConn(t, base, "/api/v1/lookup", "text/csv"))
	}
	for i := 0; i < 5; i++ {
		conns = append(conns, idleConn(t, base, "/api/v1/imports", "multipart/form-data; boundary=x"))
	}
	if code, _, body := get(t, base+"/api/v1/lookup?lon=120.2817&lat=31.9065"); code != 200 {
		t.Fatalf("a lookup beside the idle bodies: %d %s", code, body)
	}
	for i, conn := range conns {
		conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		conn.Close()
		if err != nil {
			t.Fatalf("connection %d: %v (not cut)", i, err)
		}
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusRequestTimeout {
			t.Fatalf("connection %d: status %d, want 408: %s", i, resp.StatusCode, b)
		}
		if p := problemOf(t, b); p.Code != "timeout" || p.Limit != "limits.body_idle_timeout" {
			t.Errorf("connection %d: problem %+v", i, p)
		}
	}
}

// openBatch starts an NDJSON batch whose body stays open, sends one point
// and waits for its answer: the batch is then being served.
func openBatch(t *testing.T, base string) (io.WriteCloser, *bufio.Reader, func()) {
	t.Helper()
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/lookup", pr)
	req.Header.Set("Content-Type", "application/x-ndjson")
	got := make(chan *http.Response, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
		}
		got <- resp
	}()
	io.WriteString(pw, `{"id":"a","lon":120.2817,"lat":31.9065}`+"\n")
	resp := <-got
	if resp == nil || resp.StatusCode != 200 {
		t.Fatalf("open batch: %v", resp)
	}
	br := bufio.NewReader(resp.Body)
	if line, err := br.ReadString('\n'); err != nil || !strings.HasPrefix(line, `{"id":"a"`) {
		t.Fatalf("first answer %q %v", line, err)
	}
	return pw, br, func() { pw.Close(); io.Copy(io.Discard, br); resp.Body.Close() }
}

// TestHeavyCap fills the cap of one heavy request with an open batch: a
// second batch, and an import, are answered 503 overloaded with Retry-After
// at once, a single lookup is served; once the first batch ends, a batch is
// served again. The open batch outlives the read and write timeouts of the
// routes that do not stream (300 ms), which it must not be subject to.
func TestHeavyCap(t *testing.T) {
	start(t)
	base, _ := limitServer(t, st, server.Options{Auth: server.AuthOptions{AdminToken: adminToken}, Limits: server.LimitOptions{
		HeavyConcurrency: 1, ReadTimeout: 300 * time.Millisecond, WriteTimeout: 300 * time.Millisecond,
	}})
	pw, br, done := openBatch(t, base)
	for _, tc := range []struct{ path, ctype, body string }{
		{"/api/v1/lookup", "text/csv", "id,lon,lat\n1,120.2817,31.9065\n"},
		{"/api/v1/imports", "multipart/form-data; boundary=x", "--x--\r\n"},
	} {
		req, _ := http.NewRequest(http.MethodPost, base+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Content-Type", tc.ctype)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "1" {
			t.Fatalf("%s over the cap: %d Retry-After %q: %s", tc.path, resp.StatusCode, resp.Header.Get("Retry-After"), b)
		}
		if p := problemOf(t, b); p.Code != "overloaded" || p.Limit != "limits.heavy_concurrency" {
			t.Errorf("%s: problem %+v", tc.path, p)
		}
	}
	if code, _, body := get(t, base+"/api/v1/lookup?lon=120.2817&lat=31.9065"); code != 200 {
		t.Fatalf("a single lookup beside the cap: %d %s", code, body)
	}
	// past the plain read and write deadlines, the open batch still answers
	time.Sleep(time.Second)
	io.WriteString(pw, `{"id":"b","lon":120.2817,"lat":31.9065}`+"\n")
	if line, err := br.ReadString('\n'); err != nil || !strings.HasPrefix(line, `{"id":"b"`) {
		t.Fatalf("answer after the deadlines %q %v", line, err)
	}
	done()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/lookup", bytes.NewReader(csvPoints(3)))
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("a batch once the cap is free: %d", resp.StatusCode)
	}
}

// TestRateLimit sends single lookups from one address to a server allowing
// 1 request/s in bursts of 3: the fourth is answered 429 rate_limited with
// a Retry-After, health probes are never limited, and SetLimits turning
// the rate off lets the next lookup through at once.
func TestRateLimit(t *testing.T) {
	start(t)
	base, srv := limitServer(t, st, server.Options{Limits: server.LimitOptions{Rate: 1, Burst: 3}})
	url := base + "/api/v1/lookup?lon=120.2817&lat=31.9065"
	for i := 0; i < 3; i++ {
		if code, _, body := get(t, url); code != 200 {
			t.Fatalf("lookup %d within the burst: %d %s", i, code, body)
		}
	}
	code, h, body := get(t, url)
	if code != 429 || h.Get("Retry-After") != "1" {
		t.Fatalf("lookup past the burst: %d Retry-After %q: %s", code, h.Get("Retry-After"), body)
	}
	if p := problemOf(t, body); p.Code != "rate_limited" || p.Limit != "limits.rate" {
		t.Errorf("problem %+v", p)
	}
	for i := 0; i < 5; i++ {
		if code, _, _ := get(t, base+"/healthz"); code != 200 {
			t.Fatalf("health probe %d: %d", i, code)
		}
	}
	if err := srv.SetLimits(server.LimitOptions{}); err != nil {
		t.Fatal(err)
	}
	if code, _, body := get(t, url); code != 200 {
		t.Fatalf("lookup once rates are off: %d %s", code, body)
	}
	if err := srv.SetLimits(server.LimitOptions{Rate: -1}); err == nil || !strings.Contains(err.Error(), "limits.rate") {
		t.Errorf("SetLimits of a negative rate: %v", err)
	}
}

// TestLimitOptionsValidate checks that a bad limit is refused naming its
// config key, by New as by SetLimits.
func TestLimitOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		o   server.LimitOptions
		key string
	}{
		{server.LimitOptions{MaxBodyBytes: -1}, "limits.max_body_bytes"},
		{server.LimitOptions{MaxBatchPoints: -5}, "limits.max_batch_points"},
		{server.LimitOptions{BodyIdleTimeout: -time.Second}, "limits.body_idle_timeout"},
		{server.LimitOptions{HeavyConcurrency: -1}, "limits.heavy_concurrency"},
		{server.LimitOptions{ImportMaxVertices: -2}, "limits.import_max_vertices"},
		{server.LimitOptions{Rate: 2e9}, "limits.rate"},
		{server.LimitOptions{}, ""},
		{server.LimitOptions{Rate: 10, Burst: 20, ReadTimeout: time.Second}, ""},
	} {
		err := tc.o.Validate()
		if (err == nil) != (tc.key == "") || err != nil && !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%+v: %v, want an error naming %q", tc.o, err, tc.key)
		}
	}
}
