package importer

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/sfconv"
	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// GridChange is one grid that differs between two datasets.
type GridChange struct {
	Code string `json:"code"`
	Name string `json:"name,omitempty"`
	// What changed: any of "geometry", "name", "parent", "properties".
	What []string `json:"what,omitempty"`
	// AreaBefore and AreaAfter are the grid's areas in m² (0 when absent).
	AreaBefore float64 `json:"area_before_m2,omitempty"`
	AreaAfter  float64 `json:"area_after_m2,omitempty"`
	// ChangedM2 is the area that changed hands: the symmetric difference of
	// the old and the new shape, in m² (the whole area of an added or
	// removed grid).
	ChangedM2 float64 `json:"changed_m2,omitempty"`
}

// LayerDiff is the difference of one layer.
type LayerDiff struct {
	Layer     string       `json:"layer"`
	Added     []GridChange `json:"added,omitempty"`
	Removed   []GridChange `json:"removed,omitempty"`
	Changed   []GridChange `json:"changed,omitempty"`
	Unchanged int          `json:"unchanged"`
	// Partial is true when the layer is partial (geo.Layer.Partial) in
	// the second dataset, or in the first when the second lacks it.
	Partial bool `json:"partial,omitempty"`
	// PartialChange is "declared" for a layer of both datasets that became
	// partial, "dropped" for one that stopped being partial, else "".
	PartialChange string `json:"partial_change,omitempty"`
}

// The values of LayerDiff.PartialChange.
const (
	PartialDeclared = "declared"
	PartialDropped  = "dropped"
)

// Diff is what changes from one dataset to another, layer by layer, grids
// matched by code.
type Diff struct {
	Layers []LayerDiff `json:"layers"`
}

// Empty reports whether the datasets hold the same grids and declare the
// same layers partial.
func (d Diff) Empty() bool {
	for _, l := range d.Layers {
		if len(l.Added)+len(l.Removed)+len(l.Changed) > 0 || l.PartialChange != "" {
			return false
		}
	}
	return true
}

// Compare returns what changes from a to b (either may be nil). Grids are
// matched by code within a layer of the same name; a grid changes when its
// geometry (vertex for vertex), name, parent or properties differ. Areas are
// in m² on the equal-area projection described in the package doc.
func Compare(a, b *geo.Dataset) Diff {
	var names []string
	seen := map[string]bool{}
	for _, d := range []*geo.Dataset{a, b} {
		if d == nil {
			continue
		}
		for _, l := range d.Layers {
			if !seen[l.Name] {
				seen[l.Name] = true
				names = append(names, l.Name)
			}
		}
	}
	var out Diff
	for _, name := range names {
		la, lb := layerOf(a, name), layerOf(b, name)
		ld := LayerDiff{Layer: name, Partial: (lb != nil && lb.Partial) || (lb == nil && la.Partial)}
		if la != nil && lb != nil && la.Partial != lb.Partial {
			ld.PartialChange = PartialDropped
			if lb.Partial {
				ld.PartialChange = PartialDeclared
			}
		}
		lat := 0.0
		for _, l := range []*geo.Layer{la, lb} {
			if l != nil && len(l.Grids) > 0 {
				bb := l.Bound()
				lat = (bb.Min[1] + bb.Max[1]) / 2
			}
		}
		ea := newEqualArea(lat)
		area := func(g *geo.Grid) float64 { return ea.area(sfconv.MultiPolygon(g.Geom).AsGeometry()) }
		if la != nil {
			for _, g := range la.Grids {
				if lb == nil || lb.Grid(g.Code) == nil {
					a := area(g)
					ld.Removed = append(ld.Removed, GridChange{Code: g.Code, Name: g.Name, AreaBefore: a, ChangedM2: a})
				}
			}
		}
		if lb != nil {
			for _, g := range lb.Grids {
				var old *geo.Grid
				if la != nil {
					old = la.Grid(g.Code)
				}
				if old == nil {
					a := area(g)
					ld.Added = append(ld.Added, GridChange{Code: g.Code, Name: g.Name, AreaAfter: a, ChangedM2: a})
					continue
				}
				var what []string
				sameGeom := equalMP(old.Geom, g.Geom)
				if !sameGeom {
					what = append(what, "geometry")
				}
				if old.Name != g.Name {
					what = append(what, "name")
				}
				if old.Parent != g.Parent {
					what = append(what, "parent")
				}
				if fmt.Sprint(old.Props) != fmt.Sprint(g.Props) {
					what = append(what, "properties")
				}
				if len(what) == 0 {
					ld.Unchanged++
					continue
				}
				c := GridChange{Code: g.Code, Name: g.Name, What: what, AreaBefore: area(old), AreaAfter: area(g)}
				if !sameGeom {
					if x, err := geom.SymmetricDifference(sfconv.MultiPolygon(old.Geom).AsGeometry(), sfconv.MultiPolygon(g.Geom).AsGeometry()); err == nil {
						c.ChangedM2 = ea.area(x)
					} else {
						c.ChangedM2 = math.Abs(c.AreaAfter - c.AreaBefore)
					}
				}
				ld.Changed = append(ld.Changed, c)
			}
		}
		for _, l := range [][]GridChange{ld.Added, ld.Removed, ld.Changed} {
			sort.Slice(l, func(i, j int) bool { return l[i].Code < l[j].Code })
		}
		out.Layers = append(out.Layers, ld)
	}
	return out
}

func layerOf(d *geo.Dataset, name string) *geo.Layer {
	if d == nil {
		return nil
	}
	return d.Layer(name)
}

func equalMP(a, b orb.MultiPolygon) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !sameRingAnyStart(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}

// sameRingAnyStart reports whether two closed rings hold the same vertices
// in the same order, from any start (a tool may rotate a ring).
func sameRingAnyStart(a, b orb.Ring) bool {
	if len(a) != len(b) {
		return false
	}
	n := len(a) - 1
	if n <= 0 {
		return len(a) == len(b)
	}
	for s := 0; s < n; s++ {
		if a[s] != b[0] {
			continue
		}
		ok := true
		for i := 0; i < n && ok; i++ {
			ok = a[(s+i)%n] == b[i]
		}
		if ok {
			return true
		}
	}
	return false
}

// Text renders the diff for people: per layer the counts, then each grid
// added (+), removed (-) and changed (~) with its areas, at most max per
// list (0: all), then a summary line.
func (d Diff) Text(max int) string {
	var b strings.Builder
	var add, rem, chg, part int
	var chgArea float64
	for _, l := range d.Layers {
		add += len(l.Added)
		rem += len(l.Removed)
		chg += len(l.Changed)
		for _, c := range l.Changed {
			chgArea += c.ChangedM2
		}
		switch l.PartialChange {
		case PartialDeclared:
			part++
			fmt.Fprintf(&b, "layer %s: now partial (need not tile its parents)\n", l.Layer)
		case PartialDropped:
			part++
			fmt.Fprintf(&b, "layer %s: no longer partial (must tile its parents)\n", l.Layer)
		}
		if len(l.Added)+len(l.Removed)+len(l.Changed) == 0 {
			continue
		}
		note := ""
		if l.Partial {
			note = " (partial)"
		}
		fmt.Fprintf(&b, "layer %s%s: %d added, %d removed, %d changed, %d unchanged\n", l.Layer, note, len(l.Added), len(l.Removed), len(l.Changed), l.Unchanged)
		list := func(sign string, cs []GridChange, line func(GridChange) string) {
			for i, c := range cs {
				if max > 0 && i == max {
					fmt.Fprintf(&b, "  %s … and %d more\n", sign, len(cs)-max)
					return
				}
				fmt.Fprintf(&b, "  %s %s %s%s\n", sign, c.Code, c.Name, line(c))
			}
		}
		list("+", l.Added, func(c GridChange) string { return fmt.Sprintf("  %s", fmtArea(c.AreaAfter)) })
		list("-", l.Removed, func(c GridChange) string { return fmt.Sprintf("  %s", fmtArea(c.AreaBefore)) })
		list("~", l.Changed, func(c GridChange) string {
			s := "  " + strings.Join(c.What, ", ")
			if c.ChangedM2 > 0 {
				s += fmt.Sprintf(": %s → %s, changed %s", fmtArea(c.AreaBefore), fmtArea(c.AreaAfter), fmtArea(c.ChangedM2))
			}
			return s
		})
	}
	if add+rem+chg == 0 {
		if part == 0 {
			b.WriteString("no differences\n")
		} else {
			b.WriteString("summary: the same grids; only which layers are partial changed\n")
		}
		return b.String()
	}
	fmt.Fprintf(&b, "summary: %d added, %d removed, %d changed (geometry changes cover %s)\n", add, rem, chg, fmtArea(chgArea))
	return b.String()
}
