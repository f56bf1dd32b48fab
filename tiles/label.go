package tiles

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/label"
	"github.com/paulmach/orb"
)

// labelPoints sets the label point of every grid: the pole of
// inaccessibility of its geometry projected to the unit Mercator square
// (where the map is drawn), to label.Pole's default precision. Grids are
// spread over the CPUs.
func labelPoints(geoms []orb.MultiPolygon, feats []featureData) {
	workers := min(runtime.GOMAXPROCS(0), max(len(geoms)/64, 1))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf orb.MultiPolygon
			for {
				i := int(next.Add(1) - 1)
				if i >= len(geoms) {
					return
				}
				buf = projectInto(buf[:0], geoms[i])
				feats[i].label, _ = label.Pole(buf, 0)
			}
		}()
	}
	wg.Wait()
}

// projectInto appends mp projected to the unit Mercator square to dst,
// reusing dst's rings where it can.
func projectInto(dst orb.MultiPolygon, mp orb.MultiPolygon) orb.MultiPolygon {
	for _, p := range mp {
		var q orb.Polygon
		if n := len(dst); n < cap(dst) {
			q = dst[:n+1][n][:0]
		}
		for ri, r := range p {
			var out orb.Ring
			if ri < cap(q) {
				out = q[:ri+1][ri][:0]
			}
			for _, pt := range r {
				out = append(out, project(pt))
			}
			q = append(q[:ri], out)
		}
		dst = append(dst, q)
	}
	return dst
}

// Labels returns the grids of the named layer and their label points, in
// layer order: the points of the labels layer (pole of inaccessibility,
// inside the grid), in the unit Mercator square (x east, y south, both in
// [0, 1], as maptile.Fraction at zoom 0 gives them for WGS84 lon/lat). Both
// are nil when there is no such layer. The slices are the caller's.
func (s *Source) Labels(layer string) ([]*geo.Grid, []orb.Point) {
	for _, l := range s.layers {
		if l.name != layer {
			continue
		}
		pts := make([]orb.Point, len(l.feats))
		for i := range l.feats {
			pts[i] = l.feats[i].label
		}
		return slices.Clone(l.grids), pts
	}
	return nil, nil
}
