package index_test

import (
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

var (
	jjOnce sync.Once
	jj     *geo.Dataset
	jjIdx  *index.Index
)

// jinjiang returns the five Jinjiang layers of the shared data, buildings
// partial, and their index, loaded once; it skips tb without the shared
// data.
func jinjiang(tb testing.TB) (*geo.Dataset, *index.Index) {
	tb.Helper()
	gridtest.NeedShared(tb, "jinjiang")
	jjOnce.Do(func() {
		jj = loadSet(tb, "jinjiang", "county", "towns", "villages", "grids", "buildings")
		jj.Layer("buildings").Partial = true
		var err error
		jjIdx, err = index.NewIndex(jj)
		if err != nil {
			tb.Fatal(err)
		}
	})
	if jjIdx == nil {
		tb.Fatal("jinjiang failed to load")
	}
	return jj, jjIdx
}

// oracle answers lookups by brute force: in each layer, the grid that
// geo.Contains (the semi-open rule) names among those whose bounds hold the
// point.
type oracle struct {
	d     *geo.Dataset
	trees []*rtree.RTreeG[*geo.Grid]
}

func newOracle(d *geo.Dataset) *oracle {
	o := &oracle{d: d}
	for _, l := range d.Layers {
		o.trees = append(o.trees, gridTree(l))
	}
	return o
}

// owner returns the grid of layer li that contains p, or nil.
func (o *oracle) owner(li int, p orb.Point) *geo.Grid {
	var out *geo.Grid
	o.trees[li].Search(p, p, func(_, _ [2]float64, g *geo.Grid) bool {
		if geo.Contains(g.Geom, p) {
			out = g
			return false
		}
		return true
	})
	return out
}

// chain returns the codes of p's chain for the single-branch dataset: the
// owner in the finest layer that has one, then its parents to the root.
func (o *oracle) chain(p orb.Point) []string {
	leaf := o.d.Leaves()[0]
	for l := leaf; l != nil; l = o.d.Layer(l.Parent) {
		g := o.owner(o.d.LayerIndex(l.Name), p)
		if g == nil {
			continue
		}
		codes := []string{g.Code}
		for pl := o.d.Layer(l.Parent); pl != nil; pl = o.d.Layer(pl.Parent) {
			g = pl.Grid(g.Parent)
			codes = append(codes, g.Code)
		}
		return codes
	}
	return nil
}

// hitCodes returns the codes of hits.
func hitCodes(x *index.Index, hits []index.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, x.Grid(h).Code)
	}
	return out
}

// TestJinjiangPoints checks every point of Jinjiang's points.csv, through
// AppendQuery and AppendQueryMany, against the oracle and the file's truth:
// inside, its building and the chain above it; gap, no building and the
// chain of the grid that contains it; outside, nothing; county_border, one
// of the owners named, or none and the chain of the grid around it.
func TestJinjiangPoints(t *testing.T) {
	d, x := jinjiang(t)
	pts := readPoints(t, filepath.Join(sharedData, "jinjiang", "points.csv"))
	o := newOracle(d)
	bl := d.LayerIndex("buildings")
	gl := d.LayerIndex("grids")
	ps := make([]orb.Point, len(pts))
	for i, p := range pts {
		ps[i] = orb.Point{p.lon, p.lat}
	}
	ends := make([]int, len(ps))
	many := x.AppendQueryMany(nil, ends, ps, &index.Query{})
	counts := map[string]int{}
	for i, p := range pts {
		single := x.AppendQuery(nil, p.lon, p.lat, nil)
		got := hitCodes(x, single)
		if m := hitCodes(x, many[prevEnd(ends, i):ends[i]]); !slices.Equal(m, got) {
			t.Fatalf("point %s: AppendQueryMany %v, AppendQuery %v", p.id, m, got)
		}
		want := o.chain(ps[i])
		if !slices.Equal(got, want) && !onOuterBorder(x, p, single) {
			t.Fatalf("point %s (%s) %v: index %v, brute force %v", p.id, p.kind, ps[i], got, want)
		}
		first := -1
		if len(single) > 0 {
			first = int(single[0].Layer)
		}
		switch p.kind {
		case "inside":
			if first != bl || !slices.Contains(p.owners, got[0]) {
				t.Fatalf("point %s inside %v: got %v", p.id, p.owners, got)
			}
		case "gap":
			if first != gl || len(p.owners) != 0 || len(got) != 4 {
				t.Fatalf("point %s in a gap: got %v", p.id, got)
			}
		case "outside":
			if len(got) != 0 {
				t.Fatalf("point %s outside: got %v", p.id, got)
			}
		case "county_border":
			if first == bl && !slices.Contains(p.owners, got[0]) || first != bl && len(p.owners) > 0 && first >= 0 {
				t.Fatalf("point %s on the border, owners %v: got %v", p.id, p.owners, got)
			}
		default:
			t.Fatalf("point %s: unknown kind %q", p.id, p.kind)
		}
		counts[p.kind+"/"+layerOf(d, first)]++
	}
	t.Logf("points by kind / first layer: %v", counts)
}

// onOuterBorder reports whether p is a county_border point within 1 cm of
// the border of the first grid of its chain: on the outer border of a
// layer's coverage, where the index gives the grid inside (geo's package
// doc) and the semi-open test may give none.
func onOuterBorder(x *index.Index, p truthPoint, hits []index.Hit) bool {
	return p.kind == "county_border" && len(hits) > 0 && distanceM(x.Grid(hits[0]).Geom, orb.Point{p.lon, p.lat}) < 0.01
}

// prevEnd is where chain k starts in a batch laid out by ends.
func prevEnd(ends []int, k int) int {
	if k == 0 {
		return 0
	}
	return ends[k-1]
}

// layerOf names layer li, or "none".
func layerOf(d *geo.Dataset, li int) string {
	if li < 0 {
		return "none"
	}
	return d.Layers[li].Name
}
