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
	// NearestM, when positive, gives a point that no grid of a branch's
	// finest layer covers the nearest grid of that layer within this many
	// metres (Hit.Nearest, Hit.DistanceM), first in the chain. The grids
	// above it are those of the finest layer that covers the point (for a
	// partial layer such as buildings, the grid around the point, even when
	// the nearest building lies in another grid); when no layer covers the
	// point, they are the nearest grid's ancestors, marked Nearest too.
	NearestM float64
	// NearestOutside limits the nearest fallback to points that no layer
	// of the branch covers: a point between the grids of a partial layer
	// keeps the chain of the grid around it alone (an incident in the
	// street between buildings belongs to the grid, not to the nearest
	// building).
	NearestOutside bool
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
		fl, fg := -1, -1 // the finest layer of the branch that covers the point, its grid
		if located != nil {
			if lg := located[bi]; lg.layer >= 0 {
				fl, fg = int(lg.layer), int(lg.grid)
			}
		} else {
			for l := leaf; l >= 0; l = x.layers[l].parentLayer {
				if g := x.layers[l].cells.locate(lon, lat); g >= 0 {
					fl, fg = l, g
					break
				}
			}
		}
		if fl != leaf && q != nil && q.NearestM > 0 && (fl < 0 || !q.NearestOutside) {
			dst = x.appendNearest(dst, leaf, fl, fg, lon, lat, q.NearestM)
		} else if fl >= 0 {
			dst = x.appendAncestors(dst, fl, fg)
		}
		// flags, then the layer filter, in place
		// Every grid lies inside its parent (the importer checks it, for
		// partial layers too), so a point farther than tol from the border
		// of the grid it is in is farther from its ancestors' borders too:
		// once a layer is not near a border its ancestors are not either.
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
