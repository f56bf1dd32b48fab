package importer

import (
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/sfconv"
	"github.com/peterstace/simplefeatures/geom"
	"github.com/tidwall/rtree"
)

// maxMeasured caps the parents per layer whose defects are measured with
// overlays.
const maxMeasured = 100

// layerCheck is the topology work on one layer.
type layerCheck struct {
	s      *state
	layer  *geo.Layer
	parent *geo.Layer // nil for a root layer
	ea     equalArea
	tree   *rtree.RTreeG[int]
	pairs  map[[2]int]bool // pairs already tested
	prepared
}

// prepared holds forms of a layer's grids made on demand for the overlap
// test; one goroutine uses it.
type prepared struct {
	layer *geo.Layer
	sf    map[int]geom.Geometry // simplefeatures copies
	sets  map[int]*gridSets     // vertex and segment sets
}

func newPrepared(l *geo.Layer) prepared {
	return prepared{layer: l, sf: map[int]geom.Geometry{}, sets: map[int]*gridSets{}}
}

// checkTopology runs the overlap, gap and coverage checks on every layer.
// Layers are checked in parallel; parents within a layer too.
func (s *state) checkTopology() error {
	var wg sync.WaitGroup
	var done atomic.Int64
	n := int64(len(s.ds.Layers))
	s.prog.report(StageTopology, 0, n)
	for _, l := range s.ds.Layers {
		lc := &layerCheck{s: s, layer: l, pairs: map[[2]int]bool{}, prepared: newPrepared(l)}
		if l.Parent != "" {
			lc.parent = s.ds.Layer(l.Parent)
		}
		b := l.Bound()
		lc.ea = newEqualArea((b.Min[1] + b.Max[1]) / 2)
		wg.Add(1)
		go func() {
			defer wg.Done()
			lc.run()
			s.prog.report(StageTopology, done.Add(1), n)
		}()
	}
	wg.Wait()
	return s.ctx.Err()
}

func (lc *layerCheck) run() {
	if lc.parent == nil {
		// A root layer: every pair of grids whose boxes meet.
		for i := range lc.layer.Grids {
			lc.overlapsOf(i)
		}
		return
	}
	// Group the children by parent.
	kids := map[int][]int{} // parent index → child indexes
	var suspects []int
	for i, g := range lc.layer.Grids {
		pi := lc.parent.Index(g.Parent)
		if pi < 0 {
			suspects = append(suspects, i) // reported by checkParents
			continue
		}
		kids[pi] = append(kids[pi], i)
	}
	var childless []string
	var parents []int
	for pi, pg := range lc.parent.Grids {
		if len(kids[pi]) == 0 {
			childless = append(childless, pg.Code)
			continue
		}
		parents = append(parents, pi)
	}
	if len(childless) > 0 {
		list := childless
		if len(list) > 10 {
			list = append(append([]string(nil), list[:10]...), "…")
		}
		msg := fmt.Sprintf("%d grid(s) of layer %s have no children in layer %s: %s", len(childless), lc.parent.Name, lc.layer.Name, strings.Join(list, ", "))
		if lc.layer.Partial {
			msg = childlessPartial(len(childless), lc.parent.Name, lc.layer.Name, list)
		}
		lc.s.add(Problem{Kind: KindChildless, Severity: SeverityWarning, Layer: lc.layer.Name, Message: msg})
	}
	if lc.layer.Partial {
		lc.checkPartial(kids, parents, suspects)
		return
	}
	// The exact chain test, in parallel over parents.
	var failed []int
	var fmu sync.Mutex
	lc.inParallel(parents, func() func(int) {
		c := chain{}
		return func(pi int) {
			children := make([]*geo.Grid, len(kids[pi]))
			for k, ci := range kids[pi] {
				children[k] = lc.layer.Grids[ci]
			}
			if !tilesExactly(c, lc.parent.Grids[pi], children) {
				fmu.Lock()
				failed = append(failed, pi)
				fmu.Unlock()
			}
		}
	})
	if len(failed) == 0 && len(suspects) == 0 {
		return
	}
	sort.Ints(failed)
	// Measure what went wrong, for at most maxMeasured parents: a layer
	// shifted as a whole would otherwise cost an overlay per grid.
	if len(failed) > maxMeasured {
		rest := failed[maxMeasured:]
		failed = failed[:maxMeasured]
		var codes []string
		for _, pi := range rest[:min(len(rest), 10)] {
			codes = append(codes, lc.parent.Grids[pi].Code)
		}
		lc.s.add(Problem{Kind: KindGap, Layer: lc.layer.Name,
			Message: fmt.Sprintf("%d more grid(s) of layer %s are not tiled exactly by their children in layer %s (not measured): %s …", len(rest), lc.parent.Name, lc.layer.Name, strings.Join(codes, ", "))})
	}
	for _, pi := range failed {
		for _, ci := range kids[pi] {
			lc.overlapsOf(ci)
			lc.coverage(pi, ci)
		}
		lc.gaps(pi, kids[pi])
	}
	for _, ci := range suspects {
		lc.overlapsOf(ci)
	}
}

// inParallel runs a worker made by newWorker on every item (a parent or
// child index), on GOMAXPROCS goroutines (one worker each); it stops
// handing out items when the import is cancelled.
func (lc *layerCheck) inParallel(items []int, newWorker func() func(item int)) {
	work := make(chan int, 64)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			do := newWorker()
			for it := range work {
				do(it)
			}
		}()
	}
	for _, it := range items {
		if lc.s.ctx.Err() != nil {
			break
		}
		work <- it
	}
	close(work)
	wg.Wait()
}

// buildTree indexes the layer's grids by bounding box.
func (lc *layerCheck) buildTree() {
	if lc.tree != nil {
		return
	}
	lc.tree = &rtree.RTreeG[int]{}
	for i, g := range lc.layer.Grids {
		b := g.Bound()
		lc.tree.Insert(b.Min, b.Max, i)
	}
}

// setsOf returns the vertex and segment sets of grid i.
func (pr prepared) setsOf(i int) *gridSets {
	if gs, ok := pr.sets[i]; ok {
		return gs
	}
	gs := newGridSets(pr.layer.Grids[i].Geom)
	pr.sets[i] = gs
	return gs
}

// geomOf returns the simplefeatures geometry of grid i.
func (pr prepared) geomOf(i int) geom.Geometry {
	if g, ok := pr.sf[i]; ok {
		return g
	}
	g := sfconv.MultiPolygon(pr.layer.Grids[i].Geom).AsGeometry()
	pr.sf[i] = g
	return g
}

// overlapsOf tests grid i against every grid of its layer whose box meets
// its own, once per pair.
func (lc *layerCheck) overlapsOf(i int) {
	lc.buildTree()
	gi := lc.layer.Grids[i]
	b := gi.Bound()
	var cands []int
	lc.tree.Search(b.Min, b.Max, func(_, _ [2]float64, j int) bool {
		if j != i {
			cands = append(cands, j)
		}
		return true
	})
	sort.Ints(cands)
	for _, j := range cands {
		k := [2]int{min(i, j), max(i, j)}
		if lc.pairs[k] {
			continue
		}
		lc.pairs[k] = true
		lc.testPair(lc.prepared, k[0], k[1])
	}
}

// testPair reports the overlap of grids i < j of the layer, if any, with
// their forms prepared in pr.
func (lc *layerCheck) testPair(pr prepared, i, j int) {
	if !mayOverlap(pr.setsOf(i), pr.setsOf(j)) {
		return
	}
	inter, err := geom.Intersection(pr.geomOf(i), pr.geomOf(j))
	if err != nil {
		lc.overlayFailed(lc.layer.Grids[i], err)
		return
	}
	a := lc.ea.area(inter)
	if a <= lc.s.opts.Tolerance {
		return
	}
	first, second := lc.layer.Grids[i], lc.layer.Grids[j]
	// Name the grid read from a file first.
	if lc.s.originOf(first).index == 0 && lc.s.originOf(second).index > 0 {
		first, second = second, first
	}
	o := lc.s.originOf(first)
	at := pointOn(inter)
	lc.s.add(Problem{Kind: KindOverlap, File: o.file, Feature: o.index, Code: first.Code, Other: second.Code, Layer: lc.layer.Name,
		AreaM2: a, Location: at, shape: shapeOf(inter),
		Message: fmt.Sprintf("%s overlaps %s (layer %s) by %s%s", where2(o, first.Code), second.Code, lc.layer.Name, fmtArea(a), fmtLoc(at))})
}

// coverage reports the part of child ci outside its parent pi.
func (lc *layerCheck) coverage(pi, ci int) {
	if p := lc.outside(pi, ci); p != nil {
		lc.s.add(*p)
	}
}

// outside measures the part of child ci outside its parent pi with an
// overlay and returns the problem, or nil when it is within the tolerance
// (or the overlay failed, which it reports).
func (lc *layerCheck) outside(pi, ci int) *Problem {
	p, c := lc.parent.Grids[pi], lc.layer.Grids[ci]
	diff, err := geom.Difference(sfconv.MultiPolygon(c.Geom).AsGeometry(), sfconv.MultiPolygon(p.Geom).AsGeometry())
	if err != nil {
		lc.overlayFailed(c, err)
		return nil
	}
	a := lc.ea.area(diff)
	if a <= lc.s.opts.Tolerance {
		return nil
	}
	o := lc.s.originOf(c)
	at := pointOn(diff)
	msg := fmt.Sprintf("%s: not covered by parent %s (layer %s): %s outside%s", where2(o, c.Code), p.Code, lc.parent.Name, fmtArea(a), fmtLoc(at))
	if lc.layer.Partial {
		msg = fmt.Sprintf("%s (layer %s) crosses the border of its parent %s (layer %s) by %s outside%s", where2(o, c.Code), lc.layer.Name, p.Code, lc.parent.Name, fmtArea(a), fmtLoc(at))
	}
	return &Problem{Kind: KindNotCovered, File: o.file, Feature: o.index, Code: c.Code, Other: p.Code, Layer: lc.layer.Name,
		AreaM2: a, Location: at, shape: shapeOf(diff), Message: msg}
}

// gaps reports the parts of parent pi covered by none of its children.
func (lc *layerCheck) gaps(pi int, kids []int) {
	p := lc.parent.Grids[pi]
	gs := make([]geom.Geometry, len(kids))
	for k, ci := range kids {
		gs[k] = lc.geomOf(ci)
	}
	u, err := geom.UnionMany(gs)
	if err != nil {
		lc.overlayFailed(p, err)
		return
	}
	diff, err := geom.Difference(sfconv.MultiPolygon(p.Geom).AsGeometry(), u)
	if err != nil {
		lc.overlayFailed(p, err)
		return
	}
	total := lc.ea.area(diff)
	if total <= lc.s.opts.Tolerance {
		return
	}
	for _, piece := range diff.Dump() {
		a := lc.ea.area(piece)
		if a <= lc.s.opts.Tolerance {
			continue
		}
		// Name the children that touch the gap, the most touching first.
		env := piece.Envelope()
		type near struct {
			code string
			ov   float64
			o    origin
		}
		var ns []near
		for _, ci := range kids {
			ge := lc.geomOf(ci).Envelope()
			if !ge.Intersects(env) {
				continue
			}
			ov := envOverlap(env, ge)
			g := lc.layer.Grids[ci]
			ns = append(ns, near{g.Code, ov, lc.s.originOf(g)})
		}
		sort.SliceStable(ns, func(i, j int) bool {
			if (ns[i].o.index > 0) != (ns[j].o.index > 0) {
				return ns[i].o.index > 0
			}
			return ns[i].ov > ns[j].ov
		})
		var codes []string
		var o origin
		code := ""
		for k, n := range ns {
			if k == 0 {
				o, code = n.o, n.code
			}
			codes = append(codes, n.code)
		}
		at := pointOn(piece)
		next := ""
		if len(codes) > 0 {
			next = ", next to " + strings.Join(codes, ", ")
		}
		lc.s.add(Problem{Kind: KindGap, File: o.file, Feature: o.index, Code: code, Other: p.Code, Layer: lc.layer.Name,
			AreaM2: a, Location: at, shape: shapeOf(piece),
			Message: fmt.Sprintf("gap of %s in parent %s (layer %s) not covered by its children in layer %s%s%s",
				fmtArea(a), p.Code, lc.parent.Name, lc.layer.Name, next, fmtLoc(at))})
	}
}

func envOverlap(a, b geom.Envelope) float64 {
	amin, amax, ok1 := a.MinMaxXYs()
	bmin, bmax, ok2 := b.MinMaxXYs()
	if !ok1 || !ok2 {
		return 0
	}
	w := math.Min(amax.X, bmax.X) - math.Max(amin.X, bmin.X)
	h := math.Min(amax.Y, bmax.Y) - math.Max(amin.Y, bmin.Y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

func (lc *layerCheck) overlayFailed(g *geo.Grid, err error) {
	o := lc.s.originOf(g)
	lc.s.add(Problem{Kind: KindInvalidGeometry, Severity: SeverityWarning, File: o.file, Feature: o.index, Code: g.Code, Layer: lc.layer.Name,
		Message: fmt.Sprintf("%s: overlay failed, overlap/gap not measured: %v", where2(o, g.Code), err)})
}

// pointOn returns a (lon, lat) point on the surface of g.
func pointOn(g geom.Geometry) *[2]float64 {
	// Use the largest piece so the point is where most of the problem is.
	best, bestA := g, -1.0
	for _, p := range g.Dump() {
		if a := p.Area(); a > bestA {
			best, bestA = p, a
		}
	}
	xy, ok := best.PointOnSurface().XY()
	if !ok {
		return nil
	}
	return loc(xy.X, xy.Y)
}

func fmtArea(a float64) string {
	if a >= 1e4 {
		return fmt.Sprintf("%.0f m² (%.2f ha)", a, a/1e4)
	}
	return fmt.Sprintf("%.1f m²", a)
}
