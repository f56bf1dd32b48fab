package lookup_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/lookup"
)

// TestWholeChainsSameBytes holds answers from the whole-chain arena to the
// answers built element by element, on Jiangyin: random points in and
// around the county, every 7th vertex of the micro grids (shared vertices,
// where the boundary flags are set), with the options that turn the arena
// off (flags, a layer filter, the nearest fallback) or leave it on (a
// filter naming every layer, another CRS), for single lookups and for
// batches in every format. It also checks that the arena answers most
// points.
func TestWholeChainsSameBytes(t *testing.T) {
	with := jiangyin(t)
	if !with.HasChainsForTest() {
		t.Fatal("Jiangyin has no whole-chain arena")
	}
	t.Logf("whole-chain arena: %d bytes", with.ChainBytesForTest())
	without := with.WithoutChainsForTest()
	d := with.Index().Dataset()
	r := rand.New(rand.NewPCG(4, 2))
	var pts [][2]float64
	for range 3000 {
		pts = append(pts, [2]float64{119.9 + r.Float64()*0.7, 31.6 + r.Float64()*0.4})
	}
	micro := d.Layer("microgrids")
	for gi, g := range micro.Grids {
		if gi%7 == 0 {
			pts = append(pts, [2]float64(g.Geom[0][0][gi%len(g.Geom[0][0])]))
		}
	}
	all := make([]bool, len(d.Layers))
	for i := range all {
		all[i] = true
	}
	some := make([]bool, len(d.Layers))
	some[0], some[len(some)-1] = true, true
	opts := map[string]*lookup.Options{
		"none":        nil,
		"boundary 50": {Query: index.Query{BoundaryM: 50}},
		"no flags":    {Query: index.Query{BoundaryM: -1}},
		"all layers":  {Query: index.Query{Layers: all}},
		"two layers":  {Query: index.Query{Layers: some}},
		"nearest 500": {Query: index.Query{NearestM: 500}},
		"gcj02":       {CRS: crs.GCJ02},
	}
	whole := 0
	for name, o := range opts {
		var b1, b2 []byte
		var h1, h2 []index.Hit
		for _, p := range pts {
			q := &lookup.Query{Lon: p[0], Lat: p[1], Options: o}
			b1, h1 = with.AppendLookup(b1[:0], h1, q)
			b2, h2 = without.AppendLookup(b2[:0], h2, q)
			if !bytes.Equal(b1, b2) {
				t.Fatalf("%s, point %v:\nwhole chain %s\nby element  %s", name, p, b1, b2)
			}
			if name == "none" && plainFull(h1, d.Layers) {
				if !with.WholeChainForTest(h1) {
					t.Fatalf("point %v: a plain whole chain not answered from the arena", p)
				}
				whole++
			}
		}
	}
	if whole < 1000 {
		t.Errorf("the arena answered only %d of %d points", whole, len(pts))
	}
	// batches
	var nd, csv strings.Builder
	csv.WriteString("id,lon,lat\n")
	for i, p := range pts {
		fmt.Fprintf(&nd, "{\"id\":%d,\"lon\":%v,\"lat\":%v}\n", i, p[0], p[1])
		fmt.Fprintf(&csv, "%d,%v,%v\n", i, p[0], p[1])
	}
	for _, f := range []struct {
		format lookup.Format
		body   string
	}{{lookup.NDJSON, nd.String()}, {lookup.CSV, csv.String()}, {lookup.JSON, `{"points":[` + strings.Join(strings.Split(strings.TrimSpace(nd.String()), "\n"), ",") + `]}`}} {
		for name, o := range opts {
			var w1, w2 bytes.Buffer
			if _, err := with.Batch(strings.NewReader(f.body), &w1, f.format, o); err != nil {
				t.Fatal(err)
			}
			if _, err := without.Batch(strings.NewReader(f.body), &w2, f.format, o); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(w1.Bytes(), w2.Bytes()) {
				t.Fatalf("batch %v, %s: answers differ (%d and %d bytes)", f.format, name, w1.Len(), w2.Len())
			}
		}
	}
}

// plainFull reports whether hits are a chain through every layer, finest
// first, with no flag set.
func plainFull(hits []index.Hit, layers []*geo.Layer) bool {
	if len(hits) != len(layers) || layers[hits[0].Layer].Name != "microgrids" {
		return false
	}
	for _, h := range hits {
		if h.Boundary || h.Nearest {
			return false
		}
	}
	return true
}
