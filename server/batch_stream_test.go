package server_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestBatchChunkedNoLoss streams a large batch with a chunked body (what an
// io.Pipe gives) and checks that every point is answered, in order, and that
// the trailer counts them.
func TestBatchChunkedNoLoss(t *testing.T) {
	base := start(t)
	for _, tc := range []struct {
		name, ctype, query string
		n                  int
		header             bool
	}{
		{"csv", "text/csv", "", 300000, true},
		{"ndjson", "application/x-ndjson", "?layers=county", 100000, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			go func() {
				bw := bufio.NewWriter(pw)
				if tc.header {
					bw.WriteString("id,lon,lat\n")
				}
				for i := 0; i < tc.n; i++ {
					lon, lat := 120.0+float64(i%997)*0.0006, 31.7+float64(i%991)*0.0003
					if tc.header {
						fmt.Fprintf(bw, "%d,%.6f,%.6f\n", i, lon, lat)
					} else {
						fmt.Fprintf(bw, "{\"id\":%d,\"lon\":%.6f,\"lat\":%.6f}\n", i, lon, lat)
					}
				}
				bw.Flush()
				pw.Close()
			}()
			req, _ := http.NewRequest("POST", base+"/api/v1/lookup"+tc.query, pr)
			req.Header.Set("Content-Type", tc.ctype)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			sc := bufio.NewScanner(resp.Body)
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			lines := 0
			for sc.Scan() {
				if tc.header && lines == 0 {
					lines++
					continue
				}
				want := fmt.Sprintf("%d,", lines-1)
				if !tc.header {
					want = fmt.Sprintf("{\"id\":%d,", lines)
				}
				if !strings.HasPrefix(sc.Text(), want) {
					t.Fatalf("line %d: %.80s, want it to start %s", lines, sc.Text(), want)
				}
				lines++
			}
			if tc.header {
				lines--
			}
			if lines != tc.n {
				t.Fatalf("%d answers for %d points", lines, tc.n)
			}
			if got := resp.Trailer.Get("X-Gridmap-Points"); got != fmt.Sprint(tc.n) {
				t.Errorf("trailer X-Gridmap-Points %q", got)
			}
		})
	}
}
