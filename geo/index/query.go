package index

import "runtime"

// DefaultBoundaryM is the default tolerance, in metres, within which a point
// is reported to lie on a border (Hit.Boundary).
const DefaultBoundaryM = 1.0

// Query tunes AppendQuery. The zero value answers every layer, with no
// nearest fallback and the default boundary tolerance.
type Query struct {
	// Layers, when not nil, limits the answer to the layers whose
	// position in Dataset.Layers is true.
	Layers []bool
	// NearestM, when positive, gives a point that no grid of a branch
	// covers the nearest grid of that branch's finest layer within this
	// many metres (Hit.Nearest, Hit.DistanceM).
	NearestM float64
	// BoundaryM is the tolerance in metres of Hit.Boundary; 0 means
	// DefaultBoundaryM, negative disables the check.
	BoundaryM float64
}

// AppendQuery appends the chains of the point (lon, lat), WGS84, like
// AppendChains, with the per-layer boundary flag and, when q asks for it,
// the nearest fallback and a layer filter. Each chain starts at the finest
// layer of a branch (Hit.Branch numbers them from 0) and runs to its root.
// It allocates nothing when dst has room.
func (x *Index) AppendQuery(dst []Hit, lon, lat float64, q *Query) []Hit {
	dst = x.appendQuery(dst, lon, lat, q, nil)
	runtime.KeepAlive(x) // see "Memory outside the heap" in doc.go
	return dst
}

// appendQuery is AppendQuery; located, when not nil, holds for each branch
// the grid already located for the point, in the finest layer of the branch
// that covers it (layer -1: none does).
func (x *Index) appendQuery(dst []Hit, lon, lat float64, q *Query, located []layerGrid) []Hit {
	tol := DefaultBoundaryM
	if q != nil && q.BoundaryM != 0 {
		tol = q.BoundaryM
	}
	sc := localScale{lat: lat}
	for bi, leaf := range x.leaves {
		start := len(dst)
		found := false
		if located != nil {
			if lg := located[bi]; lg.layer >= 0 {
				dst = x.appendAncestors(dst, int(lg.layer), int(lg.grid))
				found = true
			}
		} else {
			for l := leaf; l >= 0; l = x.layers[l].parentLayer {
				if g := x.layers[l].cells.locate(lon, lat); g >= 0 {
					dst = x.appendAncestors(dst, l, g)
					found = true
					break
				}
			}
		}
		if !found && q != nil && q.NearestM > 0 {
			if g, d := x.nearest(leaf, lon, lat, q.NearestM); g >= 0 {
				dst = x.appendAncestors(dst, leaf, g)
				for i := start; i < len(dst); i++ {
					dst[i].Nearest = true
					dst[i].DistanceM = float32(d)
				}
				found = true
			}
		}
		// flags, then the layer filter, in place
		// A border of a coarser grid is a border of the finer grids inside
		// it (the importer checks that children tile their parent), so once
		// a layer is not near a border its ancestors are not either.
		w := start
		near := true
		for i := start; i < len(dst); i++ {
			// in place, field by field (see appendAncestors)
			h := &dst[i]
			h.Branch = uint16(bi)
			if tol > 0 && !h.Nearest && near {
				h.Boundary = x.layers[h.Layer].cells.nearBorder(lon, lat, tol, &sc)
				near = h.Boundary
			}
			if q != nil && q.Layers != nil && (int(h.Layer) >= len(q.Layers) || !q.Layers[h.Layer]) {
				continue
			}
			if w != i {
				dst[w] = *h
			}
			w++
		}
		dst = dst[:w]
	}
	return dst
}
