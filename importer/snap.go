package importer

import (
	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// snapSteps is how far, in 1e-7° lattice steps (about 1 cm each), a
// converted vertex may be moved onto an existing vertex.
const snapSteps = 3

// snapIndex returns the vertices of the base layers that stay in the
// dataset, by lattice cell, when the import converts coordinates (nil
// otherwise). GCJ-02, BD-09 and Gauss–Krüger conversions are not exact to
// the 1e-7° lattice the data is written on (a projected file written to the
// millimetre is off by up to 1e-8°); snapping the converted vertices that
// land within a few centimetres of an existing vertex restores the shared
// borders, vertex for vertex, with the layers that were not converted.
func (s *state) snapIndex(base *geo.Dataset) map[lattice]orb.Point {
	opts := s.opts
	if base == nil {
		return nil
	}
	convert := false
	named := map[string]bool{}
	for _, fd := range s.files {
		named[fd.src.Layer] = true
		if fd.decl.sys.Converter() != nil {
			convert = true
		}
	}
	if !convert {
		return nil
	}
	idx := map[lattice]orb.Point{}
	for _, l := range base.Layers {
		if named[l.Name] && !opts.Merge {
			continue
		}
		for _, g := range l.Grids {
			for _, p := range g.Geom {
				for _, r := range p {
					for _, v := range r {
						idx[toLattice(v)] = v
					}
				}
			}
		}
	}
	return idx
}

// snapMP moves each vertex of mp onto the nearest indexed vertex within
// snapSteps lattice steps, in place.
func snapMP(mp orb.MultiPolygon, idx map[lattice]orb.Point) {
	if len(idx) == 0 {
		return
	}
	for _, p := range mp {
		for _, r := range p {
			for i, v := range r {
				l := toLattice(v)
				best, bestD := v, -1.0
				for dx := int64(-snapSteps); dx <= snapSteps; dx++ {
					for dy := int64(-snapSteps); dy <= snapSteps; dy++ {
						w, ok := idx[lattice{l[0] + dx, l[1] + dy}]
						if !ok {
							continue
						}
						d := (w[0]-v[0])*(w[0]-v[0]) + (w[1]-v[1])*(w[1]-v[1])
						if bestD < 0 || d < bestD {
							best, bestD = w, d
						}
					}
				}
				r[i] = best
			}
		}
	}
}
