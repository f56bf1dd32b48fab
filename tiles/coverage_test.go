package tiles

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
	"github.com/tidwall/rtree"
)

// coverage is the gap and overlap measure of one layer over some tiles, in
// tile units² (1/4096 of a tile side), 256 px tile pixels² and m².
type coverage struct {
	tiles            int
	features, points int
	// covered is the area of the union of the decoded polygons.
	covered float64
	// overlap is the area covered twice or more (counted once per extra
	// cover): sum of the polygons' areas minus the area of their union.
	overlap float64
	// gap is the area inside the layer's coverage that no decoded polygon
	// covers; outside the area decoded polygons cover outside it.
	gap, outside float64
	// gapM2, overlapM2 are gap and overlap in square metres on the ground.
	gapM2, overlapM2 float64
	// worstGap, worstOverlap are the largest of one tile.
	worstGap, worstOverlap float64
}

// xcross is where an edge of ring set `owner` crosses a scan row.
type xcross struct {
	owner int32
	x     float64
}

// measureCoverage decodes layer l of tile z/x/y (rendered and encoded as
// Source.Tile does, then decoded with orb) and measures its gaps and
// overlaps exactly, row by row of tile units.
//
// The method: every ring of every decoded feature is cut by the horizontal
// lines y = k + ½ (k = 0 … extent-1); on each line a feature covers the
// x-intervals between its crossings paired in order (even–odd), clipped to
// 0 … extent. Vertices are whole tile units, so between two consecutive
// integer y the covered width of one polygon changes linearly and the
// midpoint line gives its area exactly; sums and unions are exact as long
// as no two edges cross between rows (they would be an overlap anyway).
//
// The reference — where the layer should be covered — is the region
// enclosed by the layer's outer arcs (arcs used by one ring only: the
// outline of the layer and its holes), simplified for z and put on the
// tile grid exactly as the rings are, so the reference and the rings agree
// along the outline and only what happens between neighbours is measured.
func measureCoverage(s *Source, l *layerSource, outer []topoRing, z, x, y int, c *coverage) error {
	ml, _ := s.renderLayer(l, z, x, y)
	if ml == nil {
		return nil
	}
	b, err := mvt.Marshal(mvt.Layers{ml})
	if err != nil {
		return err
	}
	layers, err := mvt.Unmarshal(b)
	if err != nil {
		return err
	}
	ext := s.opts.Extent
	rows := make([][]xcross, ext)
	addEdge := func(owner int32, p, q orb.Point) {
		if p[1] == q[1] {
			return
		}
		y0, y1 := min(p[1], q[1]), max(p[1], q[1])
		// Rows k with y0 < k + ½ < y1 (vertices are whole units, so never equal).
		k0 := max(int(math.Ceil(y0-0.5)), 0)
		k1 := min(int(math.Floor(y1-0.5)), ext-1)
		for k := k0; k <= k1; k++ {
			yy := float64(k) + 0.5
			xx := p[0] + (yy-p[1])*(q[0]-p[0])/(q[1]-p[1])
			rows[k] = append(rows[k], xcross{owner, xx})
		}
	}
	c.tiles++
	for fi, f := range layers[0].Features {
		c.features++
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		case orb.Point:
			c.points++
			continue
		}
		for _, p := range mp {
			for _, r := range p {
				for i := 1; i < len(r); i++ {
					addEdge(int32(fi), r[i-1], r[i])
				}
			}
		}
	}
	// The reference outline, owner -1.
	t := s.frame(z, x, y)
	arcs := l.simp.at(z)
	for _, tr := range outer {
		r := t.ring(tr, arcs, true)
		for i := 1; i < len(r); i++ {
			addEdge(-1, r[i-1], r[i])
		}
	}

	var tileGap, tileOverlap float64
	var ivs, ref [][2]float64
	clamp := func(v float64) float64 { return min(max(v, 0), float64(ext)) }
	for _, row := range rows {
		if len(row) == 0 {
			continue
		}
		slices.SortFunc(row, func(a, b xcross) int {
			if a.owner != b.owner {
				return int(a.owner - b.owner)
			}
			if a.x < b.x {
				return -1
			}
			if a.x > b.x {
				return 1
			}
			return 0
		})
		ivs, ref = ivs[:0], ref[:0]
		for i := 0; i+1 < len(row); {
			a, b := row[i], row[i+1]
			if a.owner != b.owner {
				i++ // an odd crossing count cannot happen for closed rings
				continue
			}
			lo, hi := clamp(a.x), clamp(b.x)
			if hi > lo {
				if a.owner < 0 {
					ref = append(ref, [2]float64{lo, hi})
				} else {
					ivs = append(ivs, [2]float64{lo, hi})
				}
			}
			i += 2
		}
		slices.SortFunc(ivs, func(a, b [2]float64) int { return cmpFloat(a[0], b[0]) })
		sum := 0.0
		var union [][2]float64
		for _, iv := range ivs {
			sum += iv[1] - iv[0]
			if n := len(union); n > 0 && iv[0] <= union[n-1][1] {
				union[n-1][1] = max(union[n-1][1], iv[1])
			} else {
				union = append(union, iv)
			}
		}
		u := 0.0
		for _, iv := range union {
			u += iv[1] - iv[0]
		}
		r, both := 0.0, 0.0
		for _, a := range ref {
			r += a[1] - a[0]
			for _, b := range union {
				both += max(0, min(a[1], b[1])-max(a[0], b[0]))
			}
		}
		c.covered += u
		tileOverlap += sum - u
		tileGap += r - both
		c.outside += u - both
	}
	c.gap += tileGap
	c.overlap += tileOverlap
	c.worstGap = max(c.worstGap, tileGap)
	c.worstOverlap = max(c.worstOverlap, tileOverlap)
	// Ground metres per tile unit at the tile's middle latitude.
	lat := maptile.New(uint32(x), uint32(y), maptile.Zoom(z)).Center()[1]
	m := 40075016.686 * math.Cos(lat*math.Pi/180) / (float64(ext) * math.Exp2(float64(z)))
	c.gapM2 += tileGap * m * m
	c.overlapM2 += tileOverlap * m * m
	return nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// outline returns the outline of l's coverage (its outer boundary and its
// holes) as rings of the arcs that one ring of l uses, walked in that ring's
// direction, so that Source's ring building clips and rounds them exactly
// as it does the grids' rings.
func outline(l *layerSource) []topoRing {
	uses := make([]int, len(l.topo.arcs))
	for _, polys := range l.topo.polys {
		for _, p := range polys {
			for _, r := range p {
				for _, ref := range r {
					uses[ref.index()]++
				}
			}
		}
	}
	ends := func(ref arcRef) (orb.Point, orb.Point) {
		a := l.topo.arcs[ref.index()]
		if ref.reversed() {
			return a[len(a)-1], a[0]
		}
		return a[0], a[len(a)-1]
	}
	from := map[orb.Point][]arcRef{}
	var all []arcRef
	for _, polys := range l.topo.polys {
		for _, p := range polys {
			for _, r := range p {
				for _, ref := range r {
					if uses[ref.index()] == 1 {
						start, _ := ends(ref)
						from[start] = append(from[start], ref)
						all = append(all, ref)
					}
				}
			}
		}
	}
	used := map[arcRef]bool{}
	var out []topoRing
	for _, first := range all {
		if used[first] {
			continue
		}
		var ring topoRing
		start, _ := ends(first)
		for ref := first; ; {
			used[ref] = true
			ring = append(ring, ref)
			_, end := ends(ref)
			if end == start {
				break
			}
			next := arcRef(0)
			found := false
			for _, n := range from[end] {
				if !used[n] {
					next, found = n, true
					break
				}
			}
			if !found {
				break // not closed: cannot happen for closed rings
			}
			ref = next
		}
		out = append(out, ring)
	}
	return out
}

// TestGapOverlapArea measures, for every layer and several zooms (also
// below a layer's minzoom, where grids are smallest), the area of gaps and
// overlaps between neighbouring grids in the decoded tiles, over every tile
// of the area, and logs it per zoom and layer.
//
// Shared arcs are simplified once and put on the tile grid by the same
// rounding for both neighbours, and the reference outline is clipped and
// rounded as the rings are, so the expected gap and overlap are exactly 0:
// the bound, 1 tile unit² (1/256 px²) per tile, only absorbs floating point
// noise. The one known way to exceed it is two arcs that cross after
// simplification (Douglas–Peucker simplifies each arc alone): that happens
// below a layer's minzoom, where tiles never show the layer, so there the
// figures are logged, not checked.
func TestGapOverlapArea(t *testing.T) {
	d, s := jiangyinSource(t)
	county := d.Layers[0].Bound()
	tests := []struct {
		z    int
		area orb.Bound
		name string
	}{
		{8, county, "county"},
		{10, county, "county"},
		{12, county, "county"},
		{14, county, "county"},
		{16, maptile.At(probe, 13).Bound(), "z13 tile"},
		{18, maptile.At(probe, 15).Bound(), "z15 tile"},
	}
	if testing.Short() {
		tests = slices.Delete(tests, 3, 4)
	}
	for _, tc := range tests {
		for _, l := range s.layers {
			if l.name == "county" {
				continue // one grid: no neighbours
			}
			t.Run(fmt.Sprintf("z%d %s", tc.z, l.name), func(t *testing.T) {
				outer := outline(l)
				var c coverage
				for _, tl := range tilesOver(tc.area, tc.z) {
					if err := measureCoverage(s, l, outer, tc.z, int(tl.X), int(tl.Y), &c); err != nil {
						t.Fatal(err)
					}
				}
				const px2 = 1.0 / 256 // tile units² per pixel² of a 256 px tile
				shown := "shown"
				if tc.z < l.minZoom {
					shown = "hidden"
				}
				t.Logf("z%d %-10s (%s) over %-8s %4d tiles %6d features (%d points): covered %.4g px²; gap %.3g u² = %.3g px² = %.3g m²; overlap %.3g u² = %.3g px² = %.3g m²; worst tile: gap %.3g u², overlap %.3g u²",
					tc.z, l.name, shown, tc.name, c.tiles, c.features, c.points, c.covered*px2, c.gap, c.gap*px2, c.gapM2, c.overlap, c.overlap*px2, c.overlapM2, c.worstGap, c.worstOverlap)
				if c.covered == 0 {
					t.Error("nothing covered")
				}
				if tc.z >= l.minZoom && (c.worstGap > 1 || c.worstOverlap > 1) {
					t.Errorf("gap %g u² or overlap %g u² in one tile above the bound of 1 u²", c.worstGap, c.worstOverlap)
				}
			})
		}
	}
}

// TestGapOverlapDetects checks that the measure sees what it should: a grid
// left out of the tiles is a gap of its area, and a grid drawn twice an
// overlap of its area.
func TestGapOverlapDetects(t *testing.T) {
	_, s := jiangyinSource(t)
	l := layerByName(s, "microgrids")
	tl := maptile.At(probe, 15)
	z, x, y := int(tl.Z), int(tl.X), int(tl.Y)
	var base coverage
	if err := measureCoverage(s, l, outline(l), z, x, y, &base); err != nil {
		t.Fatal(err)
	}
	// A grid fully inside the tile, and its area in tile units.
	fr := s.frame(z, x, y)
	victim, area := -1, 0.0
	for i, polys := range l.topo.polys {
		r := fr.ring(polys[0][0], l.simp.at(z), true)
		if r == nil || len(polys) != 1 || len(polys[0]) != 1 {
			continue
		}
		if b := r.Bound(); b.Min[0] > 0 && b.Min[1] > 0 && b.Max[0] < 4096 && b.Max[1] < 4096 {
			victim, area = i, area2(r)/2
			break
		}
	}
	if victim < 0 {
		t.Fatal("no grid inside the tile")
	}
	broken := *l
	broken.topo = &topology{arcs: l.topo.arcs, polys: slices.Clone(l.topo.polys)}
	broken.topo.polys[victim] = nil
	var c coverage
	if err := measureCoverage(s, &broken, outline(l), z, x, y, &c); err != nil {
		t.Fatal(err)
	}
	if math.Abs(c.gap-area) > 1e-6 || base.gap > 1e-6 {
		t.Errorf("grid left out: gap %g u², want its area %g (base gap %g)", c.gap, area, base.gap)
	}
	broken.topo.polys[victim] = l.topo.polys[victim]
	broken.topo.polys = append(broken.topo.polys, l.topo.polys[victim])
	broken.feats = append(slices.Clone(l.feats), l.feats[victim])
	broken.tree = rtree.RTreeG[int32]{}
	l.tree.Scan(func(lo, hi [2]float64, i int32) bool {
		broken.tree.Insert(lo, hi, i)
		if int(i) == victim {
			broken.tree.Insert(lo, hi, int32(len(broken.feats)-1))
		}
		return true
	})
	c = coverage{}
	if err := measureCoverage(s, &broken, outline(l), z, x, y, &c); err != nil {
		t.Fatal(err)
	}
	if math.Abs(c.overlap-area) > 1e-6 {
		t.Errorf("grid drawn twice: overlap %g u², want its area %g", c.overlap, area)
	}
}
