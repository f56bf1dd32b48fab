package importer

import (
	"fmt"
	"slices"

	"github.com/gridmap/gridmap/geo"
)

// markPartial sets geo.Layer.Partial on layers: a layer is partial when
// Options.Partial names it, or when it is a layer of base declared partial
// that no source replaces (a merge keeps the declaration). A name in
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

// checkPartial checks a partial layer: no gap check, but every child lies
// wholly inside its parent and no two siblings overlap.
// TODO(issue 18): a cheap exact inside test before the overlay, in parallel.
func (lc *layerCheck) checkPartial(kids map[int][]int, suspects []int) {
	for pi, cs := range kids {
		for _, ci := range cs {
			if lc.s.ctx.Err() != nil {
				return
			}
			lc.overlapsOf(ci)
			lc.coverage(pi, ci)
		}
	}
	for _, ci := range suspects {
		lc.overlapsOf(ci)
	}
}
