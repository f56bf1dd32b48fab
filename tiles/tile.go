package tiles

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"

	"github.com/gogo/protobuf/proto"
)

// Tile returns the uncompressed MVT (protobuf) of tile z/x/y in the XYZ
// scheme (y = 0 at the north edge). It has one layer per dataset layer
// whose zoom range holds z and that has a feature in the tile; layers are
// in dataset order (coarse → fine), features in the layer's grid order;
// then the LabelLayer of label points (see renderLabels). A grid too small
// to draw at z is a Point of its layer (see renderLayer).
//
// Geometry is simplified for zoom z (see Options.Tolerance), cut to the
// tile plus Options.Buffer, and rounded down to the extent grid; rings that
// become degenerate (fewer than 4 points or zero area) are dropped. Outer
// rings have positive area by the surveyor's formula in tile coordinates
// (clockwise with y down) and holes negative, as MVT 2.1 requires, whatever
// the winding of the input.
//
// A tile with no feature is a zero-length body and a nil error. The error
// wraps ErrTileOutOfRange for a z, x or y outside the pyramid.
func (s *Source) Tile(z, x, y int) ([]byte, error) {
	if err := tileInRange(z, x, y); err != nil {
		return nil, err
	}
	var layers mvt.Layers
	var tags [][][]uint32
	for _, l := range s.layers {
		if z < l.minZoom || z > l.maxZoom {
			continue
		}
		if ml, tg := s.renderLayer(l, z, x, y); ml != nil {
			layers = append(layers, ml)
			tags = append(tags, tg)
		}
	}
	if ml, tg := s.renderLabels(z, x, y); ml != nil {
		layers = append(layers, ml)
		tags = append(tags, tg)
	}
	if len(layers) == 0 {
		return []byte{}, nil
	}
	vt, err := s.tags.marshalTile(layers, tags)
	if err == nil {
		var b []byte
		if b, err = proto.Marshal(vt); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("encode tile %d/%d/%d: %w", z, x, y, err)
}

// frame returns the tile frame of z/x/y.
func (s *Source) frame(z, x, y int) tileFrame {
	ext := float64(s.opts.Extent)
	buf := float64(s.opts.Buffer)
	return tileFrame{
		scale: ext * math.Exp2(float64(z)),
		ox:    float64(x) * ext,
		oy:    float64(y) * ext,
		ext:   ext,
		box:   orb.Bound{Min: orb.Point{-buf, -buf}, Max: orb.Point{ext + buf, ext + buf}},
	}
}

// renderLayer returns the MVT layer of l in tile z/x/y, already in tile
// coordinates, or nil when no grid of l is in the tile. It does not look
// at l's zoom range.
//
// A grid too small to draw at z — no ring left after simplification and
// rounding, or its box under Options.PointBelowPixels on both sides —
// becomes a Point (same id and properties) at its label point, in the one
// tile that holds that point (not in the buffer), so it is never silently
// dropped.
//
// It also returns the tags of each feature (see tagTable), in order.
func (s *Source) renderLayer(l *layerSource, z, x, y int) (*mvt.Layer, [][]uint32) {
	t := s.frame(z, x, y)
	buf := float64(s.opts.Buffer)
	ext := t.ext
	minSize := s.opts.PointBelowPixels / (256 * math.Exp2(float64(z))) // unit square
	lo := [2]float64{(t.ox - buf) / t.scale, (t.oy - buf) / t.scale}
	hi := [2]float64{(t.ox + ext + buf) / t.scale, (t.oy + ext + buf) / t.scale}
	var idx []int32
	l.tree.Search(lo, hi, func(_, _ [2]float64, i int32) bool {
		idx = append(idx, i)
		return true
	})
	if len(idx) == 0 {
		return nil, nil
	}
	slices.Sort(idx)
	arcs := l.simp.at(z)
	feats := make([]*geojson.Feature, 0, len(idx))
	tags := make([][]uint32, 0, len(idx))
	for _, i := range idx {
		fd := &l.feats[i]
		var mp orb.MultiPolygon
		if fd.size < minSize {
			if pt, ok := t.inTile(fd.label); ok {
				feats = append(feats, &geojson.Feature{ID: fd.id, Properties: fd.props, Geometry: pt})
				tags = append(tags, fd.tags)
			}
			continue
		}
		for _, tp := range l.topo.polys[i] {
			var poly orb.Polygon
			tangled := false
			for ri, tr := range tp {
				r := t.ring(tr, arcs, ri == 0)
				if r == nil {
					if ri == 0 {
						break // no outer ring, no polygon
					}
					continue
				}
				tangled = tangled || frameTangled(r, t.box.Min[0], t.box.Max[0])
				poly = append(poly, r)
			}
			if tangled {
				// orb/clip made a ring touch itself along the box: cut
				// the polygon into simple parts instead (boxclip.go)
				if parts, ok := t.reclip(tp, arcs); ok {
					for _, p := range parts {
						mp = append(mp, simplePolygons(p, t.box.Min[0], t.box.Max[0])...)
					}
					continue
				}
			}
			switch {
			case len(poly) == 0:
			case tangled: // and reclip could not take it (a hole crosses the box)
				mp = append(mp, simplePolygons(poly, t.box.Min[0], t.box.Max[0])...)
			default:
				mp = append(mp, poly)
			}
		}
		if len(mp) == 0 {
			if pt, ok := t.inTile(fd.label); ok {
				feats = append(feats, &geojson.Feature{ID: fd.id, Properties: fd.props, Geometry: pt})
				tags = append(tags, fd.tags)
			}
			continue
		}
		f := &geojson.Feature{ID: fd.id, Properties: fd.props}
		if len(mp) == 1 {
			f.Geometry = mp[0]
		} else {
			f.Geometry = mp
		}
		feats = append(feats, f)
		tags = append(tags, fd.tags)
	}
	if len(feats) == 0 {
		return nil, nil
	}
	return &mvt.Layer{Name: l.name, Version: 2, Extent: uint32(s.opts.Extent), Features: feats}, tags
}

// LabelLayer is the name of the MVT layer of label points.
const LabelLayer = "labels"

// renderLabels returns the labels layer of tile z/x/y, or nil when it is
// empty: one Point per grid of every layer shown at z whose label point
// (pole of inaccessibility, inside the grid) lies in the tile, not its
// buffer, so each label is in exactly one tile of a zoom. Features carry
// the grid's id and the properties code, name and layer; layers come coarse
// → fine, grids in layer order.
func (s *Source) renderLabels(z, x, y int) (*mvt.Layer, [][]uint32) {
	t := s.frame(z, x, y)
	lo := [2]float64{t.ox / t.scale, t.oy / t.scale}
	hi := [2]float64{(t.ox + t.ext) / t.scale, (t.oy + t.ext) / t.scale}
	var feats []*geojson.Feature
	var tags [][]uint32
	var idx []int32
	for _, l := range s.layers {
		if z < l.minZoom || z > l.maxZoom {
			continue
		}
		idx = idx[:0]
		l.tree.Search(lo, hi, func(_, _ [2]float64, i int32) bool {
			idx = append(idx, i)
			return true
		})
		slices.Sort(idx)
		for _, i := range idx {
			fd := &l.feats[i]
			if pt, ok := t.inTile(fd.label); ok {
				feats = append(feats, &geojson.Feature{ID: fd.id, Properties: fd.labelProps, Geometry: pt})
				tags = append(tags, fd.labelTags)
			}
		}
	}
	if len(feats) == 0 {
		return nil, nil
	}
	return &mvt.Layer{Name: LabelLayer, Version: 2, Extent: uint32(s.opts.Extent), Features: feats}, tags
}

// tileFrame maps the unit Mercator square to one tile's coordinates.
type tileFrame struct {
	scale  float64   // tile units per unit of the square at this zoom
	ox, oy float64   // tile origin, in tile units of the zoom
	ext    float64   // the extent
	box    orb.Bound // the tile plus its buffer, tile units
}

// inTile returns p of the unit square in whole tile units, and whether it
// lies in the tile proper: 0 ≤ x, y < extent.
func (t *tileFrame) inTile(p orb.Point) (orb.Point, bool) {
	q := t.point(p)
	return q, q[0] >= 0 && q[1] >= 0 && q[0] < t.ext && q[1] < t.ext
}

// point maps a point of the unit square to whole tile units (rounded down,
// as orb's mvt projection does).
func (t *tileFrame) point(p orb.Point) orb.Point {
	return orb.Point{math.Floor(p[0]*t.scale - t.ox), math.Floor(p[1]*t.scale - t.oy)}
}

// ring rebuilds a ring from its arcs in tile coordinates, clips it to the
// buffered tile and cleans it (see clean). It returns nil when nothing of
// the ring is left.
func (t *tileFrame) ring(tr topoRing, arcs [][]orb.Point, outer bool) orb.Ring {
	r, b := t.rawRing(tr, arcs)
	if len(r) < 4 || !b.Intersects(t.box) {
		return nil
	}
	if !t.box.Contains(b.Min) || !t.box.Contains(b.Max) {
		r = clip.Ring(t.box, r)
	}
	return clean(r, outer)
}

// rawRing rebuilds a ring from its arcs in whole tile units, not clipped,
// and returns it with its bound.
func (t *tileFrame) rawRing(tr topoRing, arcs [][]orb.Point) (orb.Ring, orb.Bound) {
	n := 1
	for _, ref := range tr {
		n += len(arcs[ref.index()]) - 1
	}
	r := make(orb.Ring, 0, n)
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	add := func(p orb.Point) {
		q := t.point(p)
		r = append(r, q)
		b.Min[0], b.Min[1] = min(b.Min[0], q[0]), min(b.Min[1], q[1])
		b.Max[0], b.Max[1] = max(b.Max[0], q[0]), max(b.Max[1], q[1])
	}
	for k, ref := range tr {
		a := arcs[ref.index()]
		// Each arc starts where the previous one ended: skip its first point.
		start := 1
		if k == 0 {
			start = 0
		}
		if ref.reversed() {
			for i := len(a) - 1 - start; i >= 0; i-- {
				add(a[i])
			}
		} else {
			for i := start; i < len(a); i++ {
				add(a[i])
			}
		}
	}
	return r, b
}

// clean rounds r down to whole tile units, drops repeated points, closes it
// and orients it (outer rings positive area in tile coordinates, holes
// negative). It returns nil for a ring with fewer than 4 points or no area.
func clean(r orb.Ring, outer bool) orb.Ring {
	out := r[:0]
	for _, p := range r {
		p = orb.Point{math.Floor(p[0]), math.Floor(p[1])}
		n := len(out)
		if n > 0 && out[n-1] == p {
			continue
		}
		if n > 1 && out[n-2] == p {
			// a spike A→B→A, which rounding makes of a sliver thinner
			// than a unit: no area, and not a simple ring
			out = out[:n-1]
			continue
		}
		out = append(out, p)
	}
	if len(out) > 1 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	// a spike across the ring's start
	for len(out) > 4 && out[1] == out[len(out)-2] {
		out = out[1 : len(out)-1]
	}
	if len(out) < 4 {
		return nil
	}
	a := area2(out)
	if a == 0 {
		return nil
	}
	if (a > 0) != outer {
		slices.Reverse(out)
	}
	return out
}

// area2 is twice the signed area of a closed ring by the surveyor's formula.
func area2(r orb.Ring) float64 {
	a := 0.0
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a
}

// tileInRange returns an error wrapping ErrTileOutOfRange for a z, x or y
// outside the pyramid.
func tileInRange(z, x, y int) error {
	if z < 0 || z > MaxZoom {
		return fmt.Errorf("%w: zoom %d not in 0..%d", ErrTileOutOfRange, z, MaxZoom)
	}
	if n := 1 << z; x < 0 || x >= n || y < 0 || y >= n {
		return fmt.Errorf("%w: x %d, y %d not in 0..%d at zoom %d", ErrTileOutOfRange, x, y, n-1, z)
	}
	return nil
}
