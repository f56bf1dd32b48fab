package lookup_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/gridmap/gridmap/internal/gridtest"
	"io"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/lookup"
)

var (
	jyOnce sync.Once
	jyEnc  *lookup.Encoder
)

// jiangyin returns an encoder over the five Jiangyin layers of the shared
// data (or of the bundled sample, the same files, when it is absent),
// imported once.
func jiangyin(b testing.TB) *lookup.Encoder {
	jyOnce.Do(func() {
		dir := gridtest.Jiangyin(b)
		var srcs []importer.Source
		for _, l := range []string{"county", "towns", "villages", "grids", "microgrids"} {
			srcs = append(srcs, importer.Source{Layer: l, Path: filepath.Join(dir, l+".geojson")})
		}
		d, _, err := importer.Import(context.Background(), srcs, nil, importer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		x, err := index.NewIndex(d)
		if err != nil {
			b.Fatal(err)
		}
		jyEnc = lookup.NewEncoder(x, "v1")
		jyEnc.EncodedAheadForTest() // waits for the encoding ahead: benchmarks time the steady state
	})
	if jyEnc == nil {
		b.Fatal("the Jiangyin data did not load (see the test that loaded it first)")
	}
	return jyEnc
}

// batchInput returns n points inside Jiangyin's bounding box in format f.
func batchInput(f lookup.Format, n int) []byte {
	var b bytes.Buffer
	rng := gridtest.Rand(20261125)
	next := rng.Float64
	if f == lookup.CSV {
		b.WriteString("id,lon,lat\n")
	}
	for i := 0; i < n; i++ {
		lon, lat := 119.98+next()*0.6, 31.68+next()*0.35
		switch f {
		case lookup.CSV:
			fmt.Fprintf(&b, "%d,%.7f,%.7f\n", i, lon, lat)
		case lookup.NDJSON:
			fmt.Fprintf(&b, "{\"id\":%d,\"lon\":%.7f,\"lat\":%.7f}\n", i, lon, lat)
		}
	}
	return b.Bytes()
}

// BenchmarkBatch measures the batch path per point (parse, look up, encode),
// in process, without HTTP.
func BenchmarkBatch(b *testing.B) {
	e := jiangyin(b)
	for _, tc := range []struct {
		name string
		f    lookup.Format
	}{{"csv", lookup.CSV}, {"ndjson", lookup.NDJSON}} {
		in := batchInput(tc.f, 100000)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for i := 0; i < b.N; i++ {
				n, err := e.Batch(bytes.NewReader(in), io.Discard, tc.f, nil)
				if err != nil || n != 100000 {
					b.Fatal(n, err)
				}
			}
			b.ReportMetric(float64(b.N)*100000/b.Elapsed().Seconds(), "points/s")
		})
	}
}

// BenchmarkAppendLookup measures one single lookup's answer as the server
// makes it (the lookup, the boundary flags and the JSON, the coordinates
// echoed from their text), in process, over random points in Jiangyin's
// bounding box.
func BenchmarkAppendLookup(b *testing.B) {
	e := jiangyin(b)
	rng := gridtest.Rand(20261129)
	pts := make([]lookup.Query, 1<<14)
	for i := range pts {
		lon, lat := 119.98+rng.Float64()*0.6, 31.68+rng.Float64()*0.35
		lonText, latText := strconv.FormatFloat(lon, 'f', 6, 64), strconv.FormatFloat(lat, 'f', 6, 64)
		lon, _ = strconv.ParseFloat(lonText, 64)
		lat, _ = strconv.ParseFloat(latText, 64)
		pts[i] = lookup.Query{Lon: lon, Lat: lat, LonText: lonText, LatText: latText}
	}
	buf := make([]byte, 0, 8192)
	hits := make([]index.Hit, 0, 16)
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		p := &pts[i&(len(pts)-1)]
		buf, hits = e.AppendLookup(buf[:0], hits, p)
		n += len(buf)
	}
	b.SetBytes(int64(n / max(b.N, 1)))
}
