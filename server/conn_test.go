package server_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/server"
)

// rawExchange sends raw to the server at base over one TCP connection,
// while reading, and returns the answers it reads until the connection
// closes (at most n of them).
func rawExchange(t *testing.T, base, raw string, n int) []*http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// a deadline on the test's connection, so that a server that does not
	// answer fails the test instead of hanging it; not a timing assertion
	conn.SetDeadline(time.Now().Add(time.Minute))
	go io.WriteString(conn, raw) // the server may stop reading early (431)
	br := bufio.NewReader(conn)
	var out []*http.Response
	for len(out) < n {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			break
		}
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("answer %d: reading the body: %v", len(out), err)
		}
		resp.Body = io.NopCloser(strings.NewReader(string(b)))
		out = append(out, resp)
	}
	return out
}

// TestNetHTTPProblems: the answers net/http writes itself, before any
// handler, to requests it cannot read are problem documents too (conn.go),
// all 400 but for the 431 of a header too large, which names its limit.
func TestNetHTTPProblems(t *testing.T) {
	base := start(t)
	big := strings.Repeat("a", 1<<20+8<<10)
	for _, tc := range []struct {
		name, raw string
		status    int
		code      string
		detail    string // a part of the detail
	}{
		{"bad request line", "GARBAGE\r\n\r\n", 400, "bad_request", "malformed request"},
		{"header without colon", "GET /healthz HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400, "bad_request", "malformed request"},
		{"header name with a space", "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n", 400, "bad_request", "malformed request"},
		{"header too large", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n", 431, "header_too_large", "header"},
		{"bad Host", "GET /healthz HTTP/1.1\r\nHost: a b\r\n\r\n", 400, "bad_request", "Host"},
		{"HTTP/1.1 without Host", "GET /healthz HTTP/1.1\r\n\r\n", 400, "bad_request", "missing required Host header"},
		{"two Hosts", "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "bad_request", "malformed request"},
		{"transfer coding", "POST /api/v1/lookup HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "bad_request", "transfer encoding"},
		{"HTTP/2.0 request line", "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", 400, "bad_request", "protocol version"},
		{"HTTP/9.9", "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 400, "bad_request", "protocol version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := rawExchange(t, base, tc.raw, 1)
			if len(got) != 1 {
				t.Fatal("no answer")
			}
			resp := got[0]
			b, _ := io.ReadAll(resp.Body)
			p := server.MustProblem(t, tc.status, resp.StatusCode, resp.Header, b)
			if p.Code != tc.code || !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("%s, want code %s, detail holding %q", b, tc.code, tc.detail)
			}
			if tc.status == 431 && p.Limit != "limits.max_header_bytes" {
				t.Errorf("%s, want the limit named", b)
			}
			if !resp.Close {
				t.Errorf("no Connection: close")
			}
		})
	}
}

// TestNetHTTPProblemAfterAnswers: on a kept-alive connection, handlers'
// answers pass untouched, and a malformed request after them still gets a
// problem document.
func TestNetHTTPProblemAfterAnswers(t *testing.T) {
	base := start(t)
	good := "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
	bad := "GET /api/v1/lookup?lon=1 HTTP/1.1\r\nHost: x\r\n\r\n"
	got := rawExchange(t, base, good+bad+good+"NOT HTTP\r\n\r\n", 4)
	if len(got) != 4 {
		t.Fatalf("%d answers, want 4", len(got))
	}
	for i, want := range []struct {
		status int
		ctype  string
	}{{200, "application/json"}, {400, "application/problem+json"}, {200, "application/json"}, {400, "application/problem+json"}} {
		if got[i].StatusCode != want.status || !strings.HasPrefix(got[i].Header.Get("Content-Type"), want.ctype) {
			t.Errorf("answer %d: %d %v, want %d %s", i, got[i].StatusCode, got[i].Header, want.status, want.ctype)
		}
	}
}
