package importer

import (
	"fmt"

	"github.com/gridmap/gridmap/geo"
)

// mergeLayers applies the features of every source to a copy of base: a
// feature whose code is in a layer replaces that grid; a new code goes to
// the layer the source names when base has it, else to the layer that holds
// the other children of its parent (a new parent may come from the same
// import). Base is not modified.
func (s *state) mergeLayers(base *geo.Dataset) []*geo.Layer {
	type slot struct {
		grids []*geo.Grid
		index map[string]int
	}
	var order []string
	layers := map[string]*slot{}
	codeLayer := map[string]string{}
	if base != nil {
		for _, l := range base.Layers {
			sl := &slot{grids: append([]*geo.Grid(nil), l.Grids...), index: map[string]int{}}
			for i, g := range sl.grids {
				sl.index[g.Code] = i
				if _, ok := codeLayer[g.Code]; !ok {
					codeLayer[g.Code] = l.Name
				}
			}
			layers[l.Name] = sl
			order = append(order, l.Name)
		}
	}
	// childLayer returns the layer holding children of parent code p.
	childLayer := func(p string) string {
		pl, ok := codeLayer[p]
		if !ok {
			return ""
		}
		var cands []string
		for _, name := range order {
			for _, g := range layers[name].grids {
				if g.Parent == p {
					return name
				}
			}
			if base != nil {
				if l := base.Layer(name); l != nil && l.Parent == pl {
					cands = append(cands, name)
				}
			}
		}
		if len(cands) == 1 {
			return cands[0]
		}
		return ""
	}
	type pending struct {
		fd *fileData
		f  *feature
	}
	var todo []pending
	// a code may appear once in all the files of one merge: two versions
	// of one grid cannot both be applied
	seen := map[string]pending{}
	for _, fd := range s.files {
		for _, f := range fd.features {
			if f.code == "" {
				continue
			}
			if first, dup := seen[f.code]; dup {
				msg := fmt.Sprintf("%s: duplicate code %s (features %d and %d)", fd.src.Path, f.code, first.f.index, f.index)
				if first.fd != fd {
					msg = fmt.Sprintf("duplicate code %s in one merge: %s and %s", f.code, where(first.fd.src.Path, first.f.index, ""), where(fd.src.Path, f.index, ""))
				}
				s.add(Problem{Kind: KindCodeDuplicate, File: fd.src.Path, Feature: f.index, Code: f.code, Layer: fd.src.Layer, Other: f.code,
					Message: msg})
				continue
			}
			seen[f.code] = pending{fd, f}
			if f.geom != nil {
				todo = append(todo, pending{fd, f})
			}
		}
	}
	put := func(name string, g *geo.Grid) {
		sl := layers[name]
		if sl == nil {
			sl = &slot{index: map[string]int{}}
			layers[name] = sl
			order = append(order, name)
		}
		if i, ok := sl.index[g.Code]; ok {
			sl.grids[i] = g
		} else {
			sl.index[g.Code] = len(sl.grids)
			sl.grids = append(sl.grids, g)
		}
		if _, ok := codeLayer[g.Code]; !ok {
			codeLayer[g.Code] = name
		}
	}
	for len(todo) > 0 {
		var next []pending
		for _, p := range todo {
			name := codeLayer[p.f.code]
			if name == "" && layers[p.fd.src.Layer] != nil {
				name = p.fd.src.Layer
			}
			if name == "" && p.f.parent != "" {
				name = childLayer(p.f.parent)
			}
			if name == "" {
				next = append(next, p)
				continue
			}
			put(name, s.newGrid(p.fd, p.f))
		}
		if len(next) == len(todo) {
			for _, p := range next {
				why := "it is a new code and has no parent"
				if p.f.parent != "" {
					why = fmt.Sprintf("it is a new code and its parent %s is in no layer", p.f.parent)
				}
				kind := KindUnplaced
				if p.f.parent != "" {
					kind = KindParentUnknown
				}
				s.add(Problem{Kind: kind, File: p.fd.src.Path, Feature: p.f.index, Code: p.f.code, Layer: p.fd.src.Layer,
					Message: fmt.Sprintf("%s: cannot merge: %s", where(p.fd.src.Path, p.f.index, p.f.code), why)})
			}
			break
		}
		todo = next
	}
	out := make([]*geo.Layer, 0, len(order))
	for _, name := range order {
		out = append(out, geo.NewLayer(name, layers[name].grids))
	}
	return out
}
