package server_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestBatchInteractive keeps one NDJSON (and one CSV) batch open and sends
// its points one at a time, waiting for each answer before sending the next,
// as a dispatch desk would: each answer must come while the request is still
// open, then the trailer counts them all.
func TestBatchInteractive(t *testing.T) {
	base := start(t)
	for _, tc := range []struct {
		ctype  string
		header string
		lines  []string
		want   []string // prefix of each answer line
	}{
		{"application/x-ndjson", "", []string{
			`{"id":"a","lon":120.2817,"lat":31.9065}`,
			`{"id":"b","lon":120.30,"lat":31.90}`,
			`{"id":"c","lon":0,"lat":0}`,
		}, []string{`{"id":"a",`, `{"id":"b",`, `{"id":"c",`}},
		{"text/csv", "id,lon,lat", []string{"a,120.2817,31.9065", "b,120.30,31.90"}, []string{"id,lon,lat,", "a,", "b,"}},
	} {
		t.Run(tc.ctype, func(t *testing.T) {
			pr, pw := io.Pipe()
			req, _ := http.NewRequest("POST", base+"/api/v1/lookup", pr)
			req.Header.Set("Content-Type", tc.ctype)
			type result struct {
				resp *http.Response
				err  error
			}
			got := make(chan result, 1)
			go func() {
				resp, err := http.DefaultClient.Do(req)
				got <- result{resp, err}
			}()
			if tc.header != "" {
				io.WriteString(pw, tc.header+"\n")
			}
			io.WriteString(pw, tc.lines[0]+"\n")
			// the status comes with the first answer, while the body is open
			r := waitFor(t, got)
			if r.err != nil {
				t.Fatal(r.err)
			}
			defer r.resp.Body.Close()
			br := bufio.NewReader(r.resp.Body)
			next := func(want string) {
				line, err := readLineWithin(br)
				if err != nil || !strings.HasPrefix(line, want) {
					t.Fatalf("answer %q (%v), want it to start %s", line, err, want)
				}
			}
			w := 0
			if tc.header != "" {
				next(tc.want[0])
				w = 1
			}
			next(tc.want[w])
			for i := 1; i < len(tc.lines); i++ {
				io.WriteString(pw, tc.lines[i]+"\n")
				next(tc.want[w+i])
			}
			pw.Close()
			if rest, _ := io.ReadAll(br); len(strings.TrimSpace(string(rest))) != 0 {
				t.Errorf("more after the last answer: %q", rest)
			}
			if n := r.resp.Trailer.Get("X-Gridmap-Points"); n != strconv.Itoa(len(tc.lines)) {
				t.Errorf("trailer X-Gridmap-Points %q, want %d", n, len(tc.lines))
			}
		})
	}
}

// waitFor returns the client's result, failing the test (instead of hanging
// until the test binary's timeout) if the answer never starts.
func waitFor[T any](t *testing.T, ch chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Minute):
		t.Fatal("no answer while the request stays open")
	}
	panic("unreachable")
}

func readLineWithin(br *bufio.Reader) (string, error) {
	type res struct {
		s   string
		err error
	}
	ch := make(chan res, 1)
	go func() {
		s, err := br.ReadString('\n')
		ch <- res{s, err}
	}()
	select {
	case r := <-ch:
		return r.s, r.err
	case <-time.After(time.Minute):
		return "", io.ErrNoProgress
	}
}

// TestBatchClientGoesAway starts large batches, reads a little of each
// answer and hangs up, mid-input (the client stops sending) or after the
// whole input: the server's goroutines for those batches (reading, looking
// up, writing) must all end, or each lost client would pin a version's
// index in memory.
func TestBatchClientGoesAway(t *testing.T) {
	base := start(t)
	settle := func() int {
		n := runtime.NumGoroutine()
		for i := 0; i < 100; i++ {
			time.Sleep(50 * time.Millisecond)
			m := runtime.NumGoroutine()
			if m == n {
				return m
			}
			n = m
		}
		return n
	}
	http.DefaultClient.CloseIdleConnections()
	before := settle()
	var writers sync.WaitGroup
	for _, midInput := range []bool{true, false} {
		for _, ctype := range []string{"application/x-ndjson", "text/csv"} {
			pr, pw := io.Pipe()
			writers.Add(1)
			go func() {
				defer writers.Done()
				bw := bufio.NewWriter(pw)
				if ctype == "text/csv" {
					bw.WriteString("id,lon,lat\n")
				}
				n := 200000
				for i := 0; i < n; i++ {
					var err error
					if ctype == "text/csv" {
						_, err = fmt.Fprintf(bw, "%d,120.%04d,31.%04d\n", i, 2000+i%3000, 7000+i%2500)
					} else {
						_, err = fmt.Fprintf(bw, "{\"id\":%d,\"lon\":120.%04d,\"lat\":31.%04d}\n", i, 2000+i%3000, 7000+i%2500)
					}
					if err != nil {
						return // the request is gone
					}
					if midInput && i == n/2 {
						bw.Flush()
						return // neither more points nor the end of the body
					}
				}
				bw.Flush()
				pw.Close()
			}()
			tr := &http.Transport{}
			req, _ := http.NewRequest("POST", base+"/api/v1/lookup", pr)
			req.Header.Set("Content-Type", ctype)
			resp, err := (&http.Client{Transport: tr}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadFull(resp.Body, make([]byte, 64<<10)); err != nil {
				t.Fatalf("%s: %v", ctype, err)
			}
			resp.Body.Close() // hang up with most of the answer unread
			pw.CloseWithError(io.ErrClosedPipe)
			tr.CloseIdleConnections()
		}
	}
	writers.Wait() // the test's own input writers
	if after := settle(); after > before+2 {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines before the batches, %d after their clients went away:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}
