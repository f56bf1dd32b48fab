package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// batchFormats are the batch bodies the batch benchmark sends: a header
// line (CSV) and one point a line, spread over Jiangyin.
var batchFormats = []struct {
	name, ctype, head, line string
}{
	{"csv", "text/csv", "id,lon,lat\n", "%d,%.5f,%.5f\n"},
	{"ndjson", "application/x-ndjson", "", `{"id":%d,"lon":%.5f,"lat":%.5f}` + "\n"},
}

// batchBody returns a batch of n points in format f.
func batchBody(f int, n int) []byte {
	var b bytes.Buffer
	b.WriteString(batchFormats[f].head)
	for i := range n {
		lon, lat := 120.0+float64((i*7919)%6000)/10000, 31.7+float64((i*104729)%3000)/10000
		fmt.Fprintf(&b, batchFormats[f].line, i, lon, lat)
	}
	return b.Bytes()
}

// BenchmarkBatchLoopback: one batch of 1 M points a round, CSV and NDJSON
// with a Content-Length, over loopback HTTP, bare handler against the
// full chain (the bench key's bearer token, the request log at info);
// reports points per second (bench/observe.sh alternates and compares
// them).
func BenchmarkBatchLoopback(b *testing.B) {
	const points = 1_000_000
	s := benchServer(b)
	for f := range batchFormats {
		body := batchBody(f, points)
		for _, c := range chains(s) {
			b.Run(c.name+"/"+batchFormats[f].name, func(b *testing.B) {
				ts := httptest.NewServer(c.h)
				defer ts.Close()
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					postBatch(b, ts.URL+"/api/v1/lookup", batchFormats[f].ctype, body)
				}
				b.ReportMetric(float64(b.N)*points/b.Elapsed().Seconds(), "points/s")
			})
		}
	}
}

// postBatch sends one batch with the bench key and reads its answer.
func postBatch(b *testing.B, url, ctype string, body []byte) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+benchToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || resp.Trailer.Get("X-Gridmap-Error") != "" {
		b.Fatalf("status %d, %v, trailer error %q", resp.StatusCode, err, resp.Trailer.Get("X-Gridmap-Error"))
	}
}
