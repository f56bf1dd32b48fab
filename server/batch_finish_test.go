package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"github.com/gridmap/gridmap/catalog"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/server"
)

// TestBatchErrorThenMoreInput sends, with a Content-Length, a batch whose
// point 3,072 is bad and which goes on for 100,000 points more: the client
// must read every answer before the bad point, the error and the trailers
// (not a connection reset), and the connection must serve the next request
// (the server reads the rest of the body instead of leaving it unread).
func TestBatchErrorThenMoreInput(t *testing.T) {
	base := start(t)
	const bad, after = 3072, 100000
	for _, tc := range []struct{ ctype, head, row string }{
		{"application/x-ndjson", "", "{\"id\":%d,\"lon\":120.%04d,\"lat\":%s}\n"},
		{"text/csv", "id,lon,lat\n", "%d,120.%04d,%s\n"},
	} {
		t.Run(tc.ctype, func(t *testing.T) {
			var body bytes.Buffer
			body.WriteString(tc.head)
			for i := 0; i < bad+1+after; i++ {
				lat := fmt.Sprintf("31.%04d", 7000+i%2500)
				if i == bad {
					lat = "95"
				}
				fmt.Fprintf(&body, tc.row, i, 2000+i%3000, lat)
			}
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			req, _ := http.NewRequest("POST", base+"/api/v1/lookup", bytes.NewReader(body.Bytes()))
			req.Header.Set("Content-Type", tc.ctype)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			out, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatalf("reading the answer: %v (after %d bytes)", err, len(out))
			}
			if resp.StatusCode == 400 {
				// under 512 KiB of answer (CSV): the error is the answer
				if !strings.Contains(string(out), "point 3072") {
					t.Errorf("400 %s, want the error of point %d", out, bad)
				}
				nextRequestReusesConnection(t, client, base)
				return
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			answers := len(lines)
			if tc.head != "" {
				answers-- // the header
			} else {
				answers-- // the error line
				if !strings.HasPrefix(lines[len(lines)-1], `{"error":`) {
					t.Errorf("last line %.100s", lines[len(lines)-1])
				}
			}
			if answers != bad || resp.Trailer.Get("X-Gridmap-Points") != fmt.Sprint(bad) || !strings.Contains(resp.Trailer.Get("X-Gridmap-Error"), "point 3072") {
				t.Errorf("%d answers, trailers %v; want %d and the error of point %d", answers, resp.Trailer, bad, bad)
			}
			nextRequestReusesConnection(t, client, base)
		})
	}
}

// nextRequestReusesConnection checks that client's next request goes over
// the connection of its last one.
func nextRequestReusesConnection(t *testing.T, client *http.Client, base string) {
	t.Helper()
	reused := false
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { reused = i.Reused }}
	req, _ := http.NewRequest("GET", base+"/healthz", nil)
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !reused {
		t.Errorf("next request: status %d, connection reused %v", resp.StatusCode, reused)
	}
}

// slowBody yields its first part, waits, then the rest: a client that
// pauses before sending its points.
type slowBody struct {
	parts [][]byte
	pause time.Duration
}

func (s *slowBody) Read(p []byte) (int, error) {
	if len(s.parts) == 0 {
		return 0, io.EOF
	}
	if len(s.parts[0]) == 0 {
		time.Sleep(s.pause)
		s.parts = s.parts[1:]
		return 0, nil
	}
	n := copy(p, s.parts[0])
	s.parts[0] = s.parts[0][n:]
	return n, nil
}

// TestBatchPauseBeforeBadPoint: a client that pauses before its first
// point, which is bad, still gets a 400 (the pause sends answers, and there
// are none yet).
func TestBatchPauseBeforeBadPoint(t *testing.T) {
	base := start(t)
	for _, tc := range []struct{ ctype, head, bad string }{
		{"application/x-ndjson", "", "{\"id\":1,\"lat\":31.9}\n"},
		{"text/csv", "id,lon,lat\n", "1,east,31.9\n"},
		{"application/json", `{"points":[`, `{"id":1,"lat":31.9}]}`},
	} {
		body := &slowBody{parts: [][]byte{[]byte(tc.head), nil, []byte(tc.bad)}, pause: 150 * time.Millisecond}
		req, _ := http.NewRequest("POST", base+"/api/v1/lookup", body)
		req.Header.Set("Content-Type", tc.ctype)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if _, err := server.ProblemOf(resp.StatusCode, resp.Header, b); resp.StatusCode != 400 || err != nil {
			t.Errorf("%s: status %d %s, want a 400 problem document (%v)", tc.ctype, resp.StatusCode, b, err)
		}
	}
}

// TestBatchContentEncodingLines: Content-Encoding over several header
// lines is one list: gzip plus br is refused, identity plus gzip is gzip.
func TestBatchContentEncodingLines(t *testing.T) {
	base := start(t)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	io.WriteString(zw, "{\"id\":1,\"lon\":120.28,\"lat\":31.90}\n")
	zw.Close()
	for _, tc := range []struct {
		enc  []string
		body []byte
		want int
	}{
		{[]string{"gzip", "br"}, gz.Bytes(), 415},
		{[]string{"gzip", "gzip"}, gz.Bytes(), 415},
		{[]string{"identity", "gzip"}, gz.Bytes(), 200},
		{[]string{"gzip, identity"}, gz.Bytes(), 200},
		{[]string{"identity"}, []byte("{\"id\":1,\"lon\":120.28,\"lat\":31.90}\n"), 200},
	} {
		req, _ := http.NewRequest("POST", base+"/api/v1/lookup", bytes.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header["Content-Encoding"] = tc.enc
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("Content-Encoding %q: status %d %s, want %d", tc.enc, resp.StatusCode, b, tc.want)
		}
	}
}

// TestBatchHalfDuplexClientEnds: a client that sends a large batch whole
// before reading any of the answer fills the socket buffers both ways; the
// server gives up on it after Options.BatchWriteStall instead of waiting for
// ever, and the client's send and read both end.
func TestBatchHalfDuplexClientEnds(t *testing.T) {
	start(t) // the shared store
	base, err := listen(context.Background(), catalog.Options{Store: st, Poll: -1}, server.Options{BatchWriteStall: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	for i := 0; i < 400000; i++ {
		fmt.Fprintf(&body, "{\"id\":%d,\"lon\":120.%04d,\"lat\":31.%04d}\n", i, 2000+i%3000, 7000+i%2500)
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sent := make(chan error, 1)
	go func() {
		_, err := fmt.Fprintf(conn, "POST /api/v1/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: %d\r\n\r\n", body.Len())
		if err == nil {
			_, err = conn.Write(body.Bytes())
		}
		sent <- err
	}()
	waitFor(t, sent) // ends, written whole or cut off
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	n, err := io.Copy(io.Discard, conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the answer did not end (%d bytes read)", n)
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz after: %v %v", resp, err)
	}
	resp.Body.Close()
}

// TestBatchBadPointPlaced: a batch refused for a bad point says, in the 400's
// JSON body, which point (index), on which line of the body and which
// field, in every format.
func TestBatchBadPointPlaced(t *testing.T) {
	base := start(t)
	for _, tc := range []struct {
		ctype, body string
		index, line int
		param       string
	}{
		{"application/x-ndjson", "{\"id\":1,\"lon\":120.28,\"lat\":31.9}\n\n{\"id\":2,\"lon\":120.28}\n", 1, 3, "lat"},
		{"text/csv", "id,lon,lat\n1,120.28,31.9\n2,east,31.9\n", 1, 3, "lon"},
		{"application/json", "{\"points\":[\n{\"id\":1,\"lon\":120.28,\"lat\":31.9},\n{\"id\":2,\"lon\":120.28,\"lat\":\"north\"}\n]}", 1, 3, "lat"},
	} {
		resp, err := http.Post(base+"/api/v1/lookup", tc.ctype, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		e, err := server.ProblemOf(resp.StatusCode, resp.Header, b)
		if err != nil || resp.StatusCode != 400 || e.Code != "bad_input" || e.Index == nil || *e.Index != tc.index || e.Line != tc.line || e.Param != tc.param {
			t.Errorf("%s: status %d, error %+v (%v), want index %d line %d param %q", tc.ctype, resp.StatusCode, e, err, tc.index, tc.line, tc.param)
		}
	}
}
