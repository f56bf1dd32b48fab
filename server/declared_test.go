package server_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/server"
)

// TestDeclaredTooLarge sends batch lookups and imports whose Content-Length
// is over their limit to a real server, over raw connections that send the
// header and 10 bytes of body, then end their side: each is answered 413
// naming the limit, with its connection closed, before its body is read
// (a server that read it would meet its end and answer 400 for the
// truncated body, as it does for a Content-Length at the limit).
func TestDeclaredTooLarge(t *testing.T) {
	start(t)
	base, _ := limitServer(t, st, server.Options{Auth: server.AuthOptions{AdminToken: adminToken},
		Limits: server.LimitOptions{MaxBodyBytes: 64 << 10, MaxUploadBytes: 128 << 10}})
	for _, tc := range []struct {
		name, path, ctype string
		length            int64
		status            int
		limit             string
	}{
		{"batch over", "/api/v1/lookup", "text/csv", 64<<10 + 1, 413, "limits.max_body_bytes"},
		{"batch 1 TiB", "/api/v1/lookup", "text/csv", 1 << 40, 413, "limits.max_body_bytes"},
		{"batch at the limit", "/api/v1/lookup", "text/csv", 64 << 10, 400, ""},
		{"import over", "/api/v1/imports", "multipart/form-data; boundary=x", 128<<10 + 1, 413, "limits.max_upload_bytes"},
		{"import at the limit", "/api/v1/imports", "multipart/form-data; boundary=x", 128 << 10, 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\nid,lon,la\n",
				tc.path, adminToken, tc.ctype, tc.length)
			conn.(*net.TCPConn).CloseWrite()
			resp, body := readAnswer(t, conn)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, tc.status, body)
			}
			if tc.status != 413 {
				return
			}
			if !resp.Close {
				t.Error("connection kept open after a refused body")
			}
			p := problemOf(t, body)
			if p.Code != "too_large" || p.Limit != tc.limit || !strings.Contains(p.text(), fmt.Sprint(tc.length)) {
				t.Errorf("problem %+v, want too_large naming %s and the Content-Length", p, tc.limit)
			}
		})
	}
}

// readAnswer reads one answer from conn, and its body.
func readAnswer(t *testing.T, conn net.Conn) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read the answer: %v", err)
	}
	return resp, body
}
