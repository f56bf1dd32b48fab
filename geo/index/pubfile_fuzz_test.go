package index

import (
	"bytes"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// fuzzDataset is a small dataset of two layers: a square county and its
// four quarters.
func fuzzDataset(tb testing.TB) *geo.Dataset {
	tb.Helper()
	sq := func(x0, y0, s float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, y0}, {x0 + s, y0}, {x0 + s, y0 + s}, {x0, y0 + s}, {x0, y0}}}}
	}
	county := geo.NewLayer("county", []*geo.Grid{{Code: "1", Geom: sq(120, 31, 1)}})
	var quarters []*geo.Grid
	for i, c := range [][2]float64{{120, 31}, {120.5, 31}, {120, 31.5}, {120.5, 31.5}} {
		quarters = append(quarters, &geo.Grid{Code: string(rune('a' + i)), Parent: "1", Geom: sq(c[0], c[1], 0.5)})
	}
	d, err := geo.NewDataset([]*geo.Layer{county, geo.NewLayer("quarters", quarters)})
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// FuzzLoadIndex feeds LoadIndex (its header and section-table parser
// first) the published index of a small dataset (the seed, and the corpus
// in testdata/fuzz/FuzzLoadIndex) and mutations of it: it never panics
// nor reads outside the file, refuses what it cannot use with an error,
// and an index it accepts answers like the built one.
func FuzzLoadIndex(f *testing.F) {
	d := fuzzDataset(f)
	built, err := NewIndex(d)
	if err != nil {
		f.Fatal(err)
	}
	var seed bytes.Buffer
	if _, err := built.Encode(&seed, "v1"); err != nil {
		f.Fatal(err)
	}
	f.Add(seed.Bytes())
	f.Add(seed.Bytes()[:200])
	f.Fuzz(func(t *testing.T, b []byte) {
		words := make([]uint64, (len(b)+7)/8)
		al := asBytes(words)[:len(b)]
		copy(al, b)
		fl, err := parseLayout(al)
		if err == nil {
			for _, s := range fl.sections {
				if s.Off+s.Len > uint64(len(b)) {
					t.Fatalf("section at %d of %d bytes past the file's %d", s.Off, s.Len, len(b))
				}
			}
		}
		x, err := LoadIndex(d, al, "v1")
		if err != nil {
			if x != nil {
				t.Fatal("an index came with the error")
			}
			return
		}
		for _, p := range []orb.Point{{120.25, 31.25}, {120.75, 31.75}, {119, 30}, {120.5, 31.5}} {
			if a, b := built.Lookup(p[0], p[1]), x.Lookup(p[0], p[1]); len(a) != len(b) || len(a) > 0 && a[0] != b[0] {
				t.Fatalf("%v: built %v, loaded %v", p, a, b)
			}
		}
	})
}
