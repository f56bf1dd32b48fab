package lookup_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/lookup"
	"github.com/paulmach/orb"
)

// TestBatchAcrossBlocks sends batches longer than a lookup block, in GCJ-02,
// with a bad point in the third block: every point before it is answered,
// in order, with the answer of a single lookup, and then the error.
func TestBatchAcrossBlocks(t *testing.T) {
	e := testEncoder(t)
	o := &lookup.Options{CRS: crs.GCJ02}
	const n, bad = 3*lookup.BlockSize + 428, 2*lookup.BlockSize + 552
	type pt struct {
		id       string
		lon, lat float64
	}
	var pts []pt
	for i := 0; i < n; i++ {
		// a walk across both towns, the shared border lon = 121, and out
		w := orb.Point{119.9 + float64(i%50)*0.05, 31.1 + float64(i/50)*0.04}
		if i%7 == 0 {
			w[0] = 121
		}
		g := crs.GCJ02.FromWGS84(w)
		pts = append(pts, pt{fmt.Sprintf("p%d", i), g[0], g[1]})
	}
	want := func(p pt) string {
		b, _ := e.AppendLookup(nil, nil, &lookup.Query{Lon: p.lon, Lat: p.lat, Options: o})
		var a answer
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatal(err)
		}
		return first(a)
	}
	for _, f := range []lookup.Format{lookup.JSON, lookup.NDJSON, lookup.CSV} {
		t.Run(f.ContentType(), func(t *testing.T) {
			var in strings.Builder
			switch f {
			case lookup.JSON:
				in.WriteString(`{"points":[`)
			case lookup.CSV:
				in.WriteString("id,lon,lat\n")
			}
			for i, p := range pts {
				lat := fmt.Sprint(p.lat)
				if i == bad {
					lat = "95"
				}
				switch f {
				case lookup.JSON:
					if i > 0 {
						in.WriteString(",")
					}
					fmt.Fprintf(&in, `{"id":%q,"lon":%v,"lat":%s}`, p.id, p.lon, lat)
				case lookup.NDJSON:
					fmt.Fprintf(&in, "{\"id\":%q,\"lon\":%v,\"lat\":%s}\n", p.id, p.lon, lat)
				case lookup.CSV:
					fmt.Fprintf(&in, "%s,%v,%s\n", p.id, p.lon, lat)
				}
			}
			if f == lookup.JSON {
				in.WriteString("]}")
			}
			var out bytes.Buffer
			got, err := e.Batch(strings.NewReader(in.String()), &out, f, o)
			var ie *lookup.InputError
			if !errors.As(err, &ie) || ie.Index != bad || ie.Field != "lat" {
				t.Fatalf("err %v, want the lat of point %d", err, bad)
			}
			if got != bad {
				t.Fatalf("%d points answered, want %d", got, bad)
			}
			var ids, codes []string
			switch f {
			case lookup.JSON:
				var a struct {
					Results []struct {
						ID string `json:"id"`
						answer
					}
					Error map[string]any
				}
				if err := json.Unmarshal(out.Bytes(), &a); err != nil {
					t.Fatal(err)
				}
				if a.Error == nil {
					t.Fatal("no error member")
				}
				for _, r := range a.Results {
					ids = append(ids, r.ID)
					codes = append(codes, first(r.answer))
				}
			case lookup.NDJSON:
				lines := strings.Split(strings.TrimSpace(out.String()), "\n")
				if !strings.HasPrefix(lines[len(lines)-1], `{"error":`) {
					t.Fatalf("last line %s", lines[len(lines)-1])
				}
				for _, l := range lines[:len(lines)-1] {
					var a struct {
						ID string `json:"id"`
						answer
					}
					if err := json.Unmarshal([]byte(l), &a); err != nil {
						t.Fatal(err)
					}
					ids = append(ids, a.ID)
					codes = append(codes, first(a.answer))
				}
			case lookup.CSV:
				recs, err := csv.NewReader(&out).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range recs[1:] {
					ids = append(ids, r[0])
					codes = append(codes, r[3])
				}
			}
			if len(ids) != bad {
				t.Fatalf("%d answers, want %d", len(ids), bad)
			}
			for i := range ids {
				if ids[i] != pts[i].id || codes[i] != want(pts[i]) {
					t.Fatalf("answer %d: %s %q, want %s %q", i, ids[i], codes[i], pts[i].id, want(pts[i]))
				}
			}
		})
	}
}

// TestBatchInvalidUTF8IDs: ids that are not UTF-8 come back with U+FFFD in
// their place, and the answers stay valid UTF-8.
func TestBatchInvalidUTF8IDs(t *testing.T) {
	e := testEncoder(t)
	for _, tc := range []struct {
		f  lookup.Format
		in string
	}{
		{lookup.JSON, "{\"points\":[{\"id\":\"a\xff\",\"lon\":120.5,\"lat\":31.5}]}"},
		{lookup.NDJSON, "{\"id\":\"a\xfe\",\"lon\":120.5,\"lat\":31.5}\n"},
		{lookup.CSV, "id,lon,lat\nb\xe9,120.5,31.5\n"},
	} {
		var out bytes.Buffer
		if _, err := e.Batch(strings.NewReader(tc.in), &out, tc.f, nil); err != nil {
			t.Fatalf("%v: %v", tc.f, err)
		}
		if !utf8.Valid(out.Bytes()) || !strings.Contains(out.String(), "\uFFFD") {
			t.Errorf("%v: %q", tc.f.ContentType(), out.String())
		}
	}
}

// failAfter is a writer that takes n bytes, then fails every write.
type failAfter struct{ n int }

var errWriterClosed = errors.New("client went away")

func (w *failAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errWriterClosed
	}
	w.n -= len(p)
	return len(p), nil
}

// TestBatchWriterFails: when the answer cannot be written (the client went
// away), Batch stops with the writer's error, answers no more points than
// it read, and returns (the answering goroutine does not hang on it).
func TestBatchWriterFails(t *testing.T) {
	e := testEncoder(t)
	for _, f := range []lookup.Format{lookup.JSON, lookup.NDJSON, lookup.CSV} {
		var in strings.Builder
		// answers (CSV: about 30 bytes each) several times what the
		// writer's three buffers of lookup.WriteChunk hold
		n := 400 * lookup.WriteChunk / 1000
		switch f {
		case lookup.JSON:
			in.WriteString(`{"points":[`)
		case lookup.CSV:
			in.WriteString("id,lon,lat\n")
		}
		for i := 0; i < n; i++ {
			lon, lat := 120+float64(i%100)*0.01, 31.2+float64(i/100)*0.001
			switch f {
			case lookup.JSON:
				if i > 0 {
					in.WriteString(",")
				}
				fmt.Fprintf(&in, `{"id":%d,"lon":%v,"lat":%v}`, i, lon, lat)
			case lookup.NDJSON:
				fmt.Fprintf(&in, "{\"id\":%d,\"lon\":%v,\"lat\":%v}\n", i, lon, lat)
			case lookup.CSV:
				fmt.Fprintf(&in, "%d,%v,%v\n", i, lon, lat)
			}
		}
		if f == lookup.JSON {
			in.WriteString("]}")
		}
		got, err := e.Batch(strings.NewReader(in.String()), &failAfter{n: 300 << 10}, f, nil)
		if !errors.Is(err, errWriterClosed) {
			t.Errorf("%s: err %v, want the writer's", f.ContentType(), err)
		}
		if got <= 0 || got >= n {
			t.Errorf("%s: %d points answered of %d, want some but not all", f.ContentType(), got, n)
		}
	}
}
