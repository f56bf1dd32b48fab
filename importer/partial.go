package importer

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

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
// measured with an overlay (measureOutside), so that the error carries
// the area outside and its place. Children of different parents need no
// overlap test: each lies inside its own parent, and the parents do not
// overlap (their layer is checked too); one that reaches outside is
// reported as such. Children whose parent is unknown (reported by
// checkParents) are tested against the whole layer.
func (lc *layerCheck) checkPartial(kids map[int][]int, parents, suspects []int) {
	var mu sync.Mutex
	var failed []int // children that fail the exact inside test
	lc.inParallel(parents, func() func(int) {
		return func(pi int) {
			if f := lc.checkFamily(pi, kids[pi]); len(f) > 0 {
				mu.Lock()
				failed = append(failed, f...)
				mu.Unlock()
			}
		}
	})
	lc.measureOutside(failed)
	for _, ci := range suspects {
		lc.overlapsOf(ci)
	}
}

// measureChunk is how many children measureOutside measures before it
// looks whether it has found enough.
const measureChunk = 4 * maxMeasured

// measureOutside measures the children of a partial layer that failed the
// exact inside test, in file order and in parallel, and reports the first
// maxMeasured whose part outside exceeds the tolerance. Past them the
// import is refused anyway, and a layer shifted as a whole would cost an
// overlay (about 0.3 ms for a building) per grid: the rest are named in
// one error, not measured.
func (lc *layerCheck) measureOutside(failed []int) {
	sort.Ints(failed)
	var found []Problem
	rest := 0
	var codes []string
	for start := 0; start < len(failed); start += measureChunk {
		batch := failed[start:min(start+measureChunk, len(failed))]
		if len(found) >= maxMeasured {
			rest += len(batch)
			for _, ci := range batch {
				codes = appendCode(codes, lc.layer.Grids[ci].Code)
			}
			continue
		}
		probs := make([]*Problem, len(batch))
		idx := make([]int, len(batch))
		for k := range idx {
			idx[k] = k
		}
		lc.inParallel(idx, func() func(int) {
			return func(k int) {
				ci := batch[k]
				probs[k] = lc.outside(lc.parent.Index(lc.layer.Grids[ci].Parent), ci)
			}
		})
		for _, p := range probs {
			switch {
			case p == nil:
			case len(found) < maxMeasured:
				found = append(found, *p)
			default:
				rest++
				codes = appendCode(codes, p.Code)
			}
		}
	}
	for _, p := range found {
		lc.s.add(p)
	}
	if rest > 0 {
		lc.s.add(Problem{Kind: KindNotCovered, Layer: lc.layer.Name,
			Message: fmt.Sprintf("%d more grid(s) of the partial layer %s may reach outside their parents in layer %s (not measured one by one: the first %d are reported): %s",
				rest, lc.layer.Name, lc.parent.Name, maxMeasured, strings.Join(codes, ", "))})
	}
}

// appendCode appends code to a list of at most 10 codes, the 11th as "…".
func appendCode(codes []string, code string) []string {
	switch {
	case len(codes) < 10:
		return append(codes, code)
	case len(codes) == 10:
		return append(codes, "…")
	}
	return codes
}

// checkFamily checks the children cs of parent pi of a partial layer for
// overlaps and returns those that fail the exact inside test.
func (lc *layerCheck) checkFamily(pi int, cs []int) (failed []int) {
	enc := newEnclosure(lc.parent.Grids[pi].Geom)
	for _, ci := range cs {
		if !enc.contains(lc.layer.Grids[ci].Geom) {
			failed = append(failed, ci)
		}
	}
	if len(cs) < 2 {
		return failed
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
	return failed
}
