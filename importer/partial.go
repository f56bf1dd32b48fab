package importer

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/tidwall/rtree"
)

// markPartial sets geo.Layer.Partial on layers: a layer is partial when
// Options.Partial names it, or when it is a layer of base declared partial
// that no source replaces (a merge keeps the declaration; a source that
// replaces the layer without naming it partial drops it). A name in
// Options.Partial that is no layer of the new dataset is an error.
func (s *state) markPartial(layers []*geo.Layer, base *geo.Dataset) {
	named := map[string]bool{}
	for _, fd := range s.files {
		if fd != nil {
			named[fd.src.Layer] = true
		}
	}
	for _, l := range layers {
		l.Partial = slices.Contains(s.opts.Partial, l.Name)
		if l.Partial || base == nil {
			continue
		}
		if bl := base.Layer(l.Name); bl != nil && bl.Partial && (s.opts.Merge || !named[l.Name]) {
			l.Partial = true
		}
	}
	for _, name := range s.opts.Partial {
		if !slices.ContainsFunc(layers, func(l *geo.Layer) bool { return l.Name == name }) {
			s.add(Problem{Kind: KindPartialUnknown, Layer: name,
				Message: fmt.Sprintf("layer %s is declared partial but is no layer of the import or of the version it builds on", name)})
		}
	}
}

// checkPartialRoots refuses a root layer declared partial: it has no
// parent whose grids it could leave uncovered.
func (s *state) checkPartialRoots() {
	for _, l := range s.ds.Layers {
		if l.Partial && l.Parent == "" {
			s.add(Problem{Kind: KindPartialRoot, Layer: l.Name,
				Message: fmt.Sprintf("layer %s is declared partial but is a root layer (its grids have no parent): only a layer below another can leave parts of its parents uncovered", l.Name)})
		}
	}
}

// childlessPartial words the warning about parents that hold no grid of a
// partial layer: normal (a grid of streets and a square has no building),
// but listed so that a parent left out by mistake can be seen.
func childlessPartial(n int, parent, layer string, codes []string) string {
	return fmt.Sprintf("%d grid(s) of layer %s hold none of the partial layer %s (allowed: a partial layer need not reach every parent, as a grid of streets holds no building): %s",
		n, parent, layer, strings.Join(codes, ", "))
}

// checkPartial checks a partial layer: no gap check, but every child lies
// wholly inside its parent and no two siblings overlap. Parents are
// checked in parallel. A child passes the exact inside test of enclosure
// in time about linear in its vertices; only a child that fails it is
// measured with an overlay, so that the error carries the area outside
// and its place. Children of different parents need no overlap test:
// each lies inside its own parent, and the parents do not overlap (their
// layer is checked too); one that reaches outside is reported as such.
// Children whose parent is unknown (reported by checkParents) are tested
// against the whole layer.
func (lc *layerCheck) checkPartial(kids map[int][]int, parents, suspects []int) {
	lc.eachParent(parents, func() func(int) {
		return func(pi int) { lc.checkFamily(pi, kids[pi]) }
	})
	for _, ci := range suspects {
		lc.overlapsOf(ci)
	}
}

// checkFamily checks the children cs of parent pi of a partial layer.
func (lc *layerCheck) checkFamily(pi int, cs []int) {
	enc := newEnclosure(lc.parent.Grids[pi].Geom)
	for _, ci := range cs {
		if !enc.contains(lc.layer.Grids[ci].Geom) {
			lc.coverage(pi, ci)
		}
	}
	if len(cs) < 2 {
		return
	}
	var tree rtree.RTreeG[int]
	for _, ci := range cs {
		b := lc.layer.Grids[ci].Bound()
		tree.Insert(b.Min, b.Max, ci)
	}
	pr := newPrepared(lc.layer)
	var cands []int
	for _, ci := range cs {
		b := lc.layer.Grids[ci].Bound()
		cands = cands[:0]
		tree.Search(b.Min, b.Max, func(_, _ [2]float64, cj int) bool {
			if cj > ci {
				cands = append(cands, cj)
			}
			return true
		})
		sort.Ints(cands)
		for _, cj := range cands {
			lc.testPair(pr, ci, cj)
		}
	}
}
