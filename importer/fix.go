package importer

import (
	"fmt"
	"math"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// vertexInfo says who holds a position.
type vertexInfo struct {
	grids int  // how many grids hold it
	first int  // sequence number of the first imported feature holding it; 0 for base
	base  bool // a base grid that stays holds it
}

// anchors is a hash of vertices by cell, for finding the vertices within a
// distance of a position.
type anchors struct {
	cell  float64 // cell size, degrees
	tol   float64 // metres
	cells map[[2]int64][]orb.Point
	info  map[orb.Point]*vertexInfo
}

func newAnchors(tol, lat float64) *anchors {
	// A cell at least as wide as tol in both directions at this latitude.
	c := tol / (authalicR * math.Pi / 180 * math.Max(math.Cos(lat*math.Pi/180), 0.1))
	return &anchors{cell: c, tol: tol, cells: map[[2]int64][]orb.Point{}, info: map[orb.Point]*vertexInfo{}}
}

func (a *anchors) key(p orb.Point) [2]int64 {
	return [2]int64{int64(math.Floor(p[0] / a.cell)), int64(math.Floor(p[1] / a.cell))}
}

// addGrid records the distinct vertices of one grid; seq is 0 for a base
// grid, else the feature's sequence number (from 1).
func (a *anchors) addGrid(mp orb.MultiPolygon, seq int) {
	seen := map[orb.Point]bool{}
	for _, p := range mp {
		for _, r := range p {
			for _, v := range r {
				if seen[v] {
					continue
				}
				seen[v] = true
				in := a.info[v]
				if in == nil {
					in = &vertexInfo{first: seq}
					a.info[v] = in
					k := a.key(v)
					a.cells[k] = append(a.cells[k], v)
				}
				in.grids++
				if seq == 0 {
					in.base = true
				}
			}
		}
	}
}

// remove forgets position v (a lonely vertex that was moved).
func (a *anchors) remove(v orb.Point) {
	delete(a.info, v)
	k := a.key(v)
	cs := a.cells[k]
	for i, q := range cs {
		if q == v {
			cs[i] = cs[len(cs)-1]
			a.cells[k] = cs[:len(cs)-1]
			return
		}
	}
}

// target returns the vertex a lonely vertex v of feature seq should move
// onto: the nearest within tol that a base grid or another grid holds, or
// that an earlier feature holds alone (so two lonely vertices never swap).
func (a *anchors) target(v orb.Point, seq int) (orb.Point, float64, bool) {
	k := a.key(v)
	best, bestD, ok := orb.Point{}, math.Inf(1), false
	for dx := int64(-1); dx <= 1; dx++ {
		for dy := int64(-1); dy <= 1; dy++ {
			for _, q := range a.cells[[2]int64{k[0] + dx, k[1] + dy}] {
				if q == v {
					continue
				}
				in := a.info[q]
				if !(in.base || in.grids >= 2 || in.first < seq) {
					continue
				}
				if d := distM(v, q); d <= a.tol && d < bestD {
					best, bestD, ok = q, d, true
				}
			}
		}
	}
	return best, bestD, ok
}

// snapNear moves the lonely vertices of the features read (vertices no
// other grid holds) onto the nearest vertex of another grid within
// Options.Snap metres. Vertices that another grid already holds exactly
// never move: clean data that has distinct vertices a few centimetres apart
// stays as it is. Targets are the vertices of the base grids that stay, the
// vertices shared by two grids, and those of earlier features (in file and
// feature order, so the result does not depend on timing). Repeated
// consecutive positions the moves create are dropped. Each feature changed
// gets one Problem of severity fixed giving the number of vertices moved,
// the largest move and where the first was.
func (s *state) snapNear(base *geo.Dataset) {
	lat := 0.0
	for _, fd := range s.files {
		for _, f := range fd.features {
			if f.geom != nil && len(f.geom[0]) > 0 && len(f.geom[0][0]) > 0 {
				lat = f.geom[0][0][0][1]
				break
			}
		}
	}
	a := newAnchors(s.opts.Snap, lat)
	replaced := map[string]bool{} // layers (without Merge) or codes (with) replaced by this import
	for _, fd := range s.files {
		if !s.opts.Merge {
			replaced[fd.src.Layer] = true
			continue
		}
		for _, f := range fd.features {
			replaced[f.code] = true
		}
	}
	if base != nil {
		for _, l := range base.Layers {
			if replaced[l.Name] && !s.opts.Merge {
				continue
			}
			for _, g := range l.Grids {
				if !(s.opts.Merge && replaced[g.Code]) {
					a.addGrid(g.Geom, 0)
				}
			}
		}
	}
	seq := 0
	for _, fd := range s.files {
		for _, f := range fd.features {
			if f.geom != nil {
				seq++
				a.addGrid(f.geom, seq)
			}
		}
	}
	seq = 0
	for _, fd := range s.files {
		for _, f := range fd.features {
			if f.geom == nil {
				continue
			}
			seq++
			moved, worst := 0, 0.0
			var first *[2]float64
			for _, p := range f.geom {
				for _, r := range p {
					for i, v := range r[:len(r)-1] { // rings are closed: the last is the first
						in := a.info[v]
						if in == nil || in.grids > 1 || in.base {
							continue
						}
						w, d, ok := a.target(v, seq)
						if !ok {
							continue
						}
						r[i] = w
						a.remove(v)
						a.info[w].grids++
						moved++
						worst = math.Max(worst, d)
						if first == nil {
							first = loc(v[0], v[1])
						}
					}
					r[len(r)-1] = r[0]
				}
			}
			if moved == 0 {
				continue
			}
			for pi, p := range f.geom {
				for ri, r := range p {
					f.geom[pi][ri] = dropRepeats(r)
				}
			}
			s.add(Problem{Kind: KindVertexSnapped, Severity: SeverityFixed, File: fd.src.Path, Feature: f.index, Code: f.code, Layer: fd.src.Layer, Location: first,
				Message: fmt.Sprintf("%s: moved %d vertex(es) onto a neighbour's vertex within %g m (largest move %.3f m), first%s",
					where(fd.src.Path, f.index, f.code), moved, s.opts.Snap, worst, fmtLoc(first))})
		}
	}
}

// dropRepeats removes consecutive equal positions from r (in place),
// keeping it closed.
func dropRepeats(r orb.Ring) orb.Ring {
	if len(r) < 2 {
		return r
	}
	out := r[:1]
	for _, p := range r[1:] {
		if p != out[len(out)-1] {
			out = append(out, p)
		}
	}
	return out
}
