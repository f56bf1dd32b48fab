package importer

import (
	"fmt"
	"math"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

// lattice is a position rounded to the 1e-7° grid the data is written on.
type lattice [2]int64

func toLattice(p orb.Point) lattice {
	return lattice{int64(math.Round(p[0] * 1e7)), int64(math.Round(p[1] * 1e7))}
}

// hits counts the vertices of mp that fall on (or one lattice step from) a
// vertex in ref.
func hits(mp orb.MultiPolygon, ref map[lattice]bool, fn func(orb.Point) orb.Point) (n, total int) {
	for _, p := range mp {
		for _, r := range p {
			for _, v := range r[:max(len(r)-1, 0)] {
				total++
				if fn != nil {
					v = fn(v)
				}
				l := toLattice(v)
			near:
				for dx := int64(-1); dx <= 1; dx++ {
					for dy := int64(-1); dy <= 1; dy++ {
						if ref[lattice{l[0] + dx, l[1] + dy}] {
							n++
							break near
						}
					}
				}
			}
		}
	}
	return n, total
}

// checkGCJ02 looks at the grids read from files that take part in an
// overlap, gap or overhang: when converting one with the GCJ-02 inverse
// makes its vertices land on the vertices of its neighbours or its parent,
// while as given they do not, the file (or that feature) is most likely in
// GCJ-02. It adds one warning per file.
func (s *state) checkGCJ02() {
	converted := map[string]bool{} // files whose positions were converted
	for _, fd := range s.files {
		if !fd.decl.sys.Identity() {
			converted[fd.src.Path] = true
		}
	}
	involved := map[string]bool{}
	for _, p := range s.rep.Problems {
		switch p.Kind {
		case KindOverlap, KindGap, KindNotCovered:
			involved[p.Code] = true
			involved[p.Other] = true
		}
	}
	if len(involved) == 0 {
		return
	}
	type found struct {
		codes   []string
		first   origin
		code    string
		layer   string
		shift   float64
		checked int
	}
	perFile := map[string]*found{}
	var order []string
	for _, l := range s.ds.Layers {
		var parent *geo.Layer
		if l.Parent != "" {
			parent = s.ds.Layer(l.Parent)
		}
		for _, g := range l.Grids {
			o := s.originOf(g)
			if o.index == 0 || !involved[g.Code] || converted[o.file] {
				continue
			}
			fo := perFile[o.file]
			if fo == nil {
				fo = &found{}
				perFile[o.file] = fo
				order = append(order, o.file)
			}
			if fo.checked >= 200 {
				continue
			}
			fo.checked++
			if !looksGCJ02(g, l, parent) {
				continue
			}
			if len(fo.codes) == 0 {
				fo.first, fo.code, fo.layer = o, g.Code, l.Name
				v := g.Geom[0][0][0]
				fo.shift = distM(v, crs.GCJ02ToWGS84(v))
			}
			fo.codes = append(fo.codes, g.Code)
		}
	}
	for _, file := range order {
		fo := perFile[file]
		if len(fo.codes) == 0 {
			continue
		}
		list := fo.codes
		if len(list) > 5 {
			list = append(append([]string(nil), list[:5]...), "…")
		}
		s.add(Problem{Kind: KindLooksGCJ02, Severity: SeverityWarning, File: fo.first.file, Feature: fo.first.index, Code: fo.code, Layer: fo.layer,
			Message: fmt.Sprintf("%s: %d feature(s) (%s) sit about %.0f m off their neighbours/parent in the GCJ-02 direction; converted with the GCJ-02 inverse they fit onto their neighbours' and parent's borders. The file is likely in GCJ-02 (a Chinese web map export): import it with CRS gcj02",
				where2(fo.first, fo.code), len(fo.codes), strings.Join(list, ", "), fo.shift)})
	}
}

// looksGCJ02 tests one grid against the vertices of the grids of its layer
// and its parent layer near it.
func looksGCJ02(g *geo.Grid, l, parent *geo.Layer) bool {
	b := g.Bound().Pad(0.02) // GCJ-02 shifts are below 0.01°
	sameL := map[lattice]bool{}
	par := map[lattice]bool{}
	collect := func(into map[lattice]bool, from *geo.Layer) {
		for _, o := range from.Grids {
			if o == g || !o.Bound().Intersects(b) {
				continue
			}
			for _, p := range o.Geom {
				for _, r := range p {
					for _, v := range r {
						into[toLattice(v)] = true
					}
				}
			}
		}
	}
	collect(sameL, l)
	if parent != nil {
		collect(par, parent)
	}
	origL, n := hits(g.Geom, sameL, nil)
	convL, _ := hits(g.Geom, sameL, crs.GCJ02ToWGS84)
	origP, _ := hits(g.Geom, par, nil)
	convP, _ := hits(g.Geom, par, crs.GCJ02ToWGS84)
	if n == 0 {
		return false
	}
	if convL*2 >= n && convL > 3*origL+3 {
		return true
	}
	if convP*10 >= n && convP > 2*origP+3 {
		return true
	}
	// Vertices placed anew (a border redrawn or resampled in a web map
	// tool) do not land on the neighbours' vertices, but on their edges:
	// count the vertices within a metre of a neighbour's or the parent's
	// boundary, as given and converted.
	var near []*geo.Grid
	for _, from := range []*geo.Layer{l, parent} {
		if from == nil {
			continue
		}
		for _, o := range from.Grids {
			if o != g && o.Bound().Intersects(b) {
				near = append(near, o)
			}
		}
	}
	if len(near) == 0 {
		return false
	}
	onEdge := func(fn func(orb.Point) orb.Point) (k int) {
		for _, p := range g.Geom {
			for _, r := range p {
				for _, v := range r[:max(len(r)-1, 0)] {
					if fn != nil {
						v = fn(v)
					}
					vb := orb.Bound{Min: v, Max: v}.Pad(2e-5)
					for _, o := range near {
						if o.Bound().Intersects(vb) && geo.DistanceToBoundary(o.Geom, v) <= 1 {
							k++
							break
						}
					}
				}
			}
		}
		return k
	}
	convE := onEdge(crs.GCJ02ToWGS84)
	if convE*10 < n*8 {
		return false
	}
	return convE > 3*onEdge(nil)+3
}

// distM is the distance between two (lon, lat) points in metres, by the
// equirectangular approximation (good to well under 1 % over a few km).
func distM(a, b orb.Point) float64 {
	k := math.Cos((a[1] + b[1]) / 2 * math.Pi / 180)
	dx := (b[0] - a[0]) * k
	dy := b[1] - a[1]
	return math.Hypot(dx, dy) * math.Pi / 180 * authalicR
}
