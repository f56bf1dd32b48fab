package importer

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// origin says where a grid of the new dataset came from.
type origin struct {
	file  string
	index int // 1-based feature index, 0 for a grid carried over from base
}

// state is the work of one Import.
type state struct {
	ctx     context.Context
	opts    Options
	rep     *Report
	files   []*fileData
	origins map[*geo.Grid]origin
	ds      *geo.Dataset
	base    *geo.Dataset // the active version, or nil
	mu      sync.Mutex
	prog    *tracker
}

func (s *state) add(p Problem) {
	s.mu.Lock()
	s.rep.add(p)
	s.mu.Unlock()
}

// originOf returns the file and feature index of g ("" and 0 for base).
func (s *state) originOf(g *geo.Grid) origin { return s.origins[g] }

// Import reads and checks srcs and returns the complete new dataset: the
// layers built from srcs plus the layers of base (which may be nil) that no
// source names; with Options.Merge the sources update base feature by
// feature instead (see Options.Merge). Neither base nor its grids are
// modified. A file of several layers with none picked is imported layer by
// layer (ExpandLayers).
//
// The Report is always returned (it lists files, layers and problems). When
// any problem has severity error, Import returns a nil dataset and an error
// wrapping ErrRejected. Other errors (bad options, a cancelled ctx) are
// returned as they are.
func Import(ctx context.Context, srcs []Source, base *geo.Dataset, opts Options) (*geo.Dataset, *Report, error) {
	if err := opts.Validate(); err != nil {
		return nil, nil, err
	}
	opts = opts.withDefaults()
	s := &state{ctx: ctx, opts: opts, rep: &Report{Counts: map[string]int{}, maxListed: opts.MaxListed},
		origins: map[*geo.Grid]origin{}, base: base}
	if len(srcs) == 0 {
		return nil, s.rep, fmt.Errorf("importer: no sources")
	}
	var all []Source
	for _, src := range srcs {
		ss, err := ExpandLayers(ctx, src, opts)
		if err != nil {
			return nil, s.rep, fmt.Errorf("importer: %w", err)
		}
		all = append(all, ss...)
	}
	srcs = all
	for _, src := range srcs {
		if err := CheckLayerName(src.Layer); err != nil {
			return nil, s.rep, fmt.Errorf("importer: %s: %w", src.Path, err)
		}
	}
	if opts.Progress != nil {
		s.prog = newTracker(opts.Progress)
		s.prog.total = sizeOf(srcs)
		s.prog.report(StageRead, 0, s.prog.total)
	}
	s.read(srcs)
	if err := ctx.Err(); err != nil {
		return nil, s.rep, err
	}
	// data past a limit is refused before the heavy work
	s.checkLayerFeatures()
	if hasKind(s.rep.Problems, KindLimit) {
		s.rep.sortProblems()
		return nil, s.rep, s.rep.Err()
	}
	s.prepareGeometry(s.snapIndex(base), base)
	if err := ctx.Err(); err != nil {
		return nil, s.rep, err
	}
	var layers []*geo.Layer
	if opts.Merge {
		layers = s.mergeLayers(base)
	} else {
		layers = s.replaceLayers(base)
	}
	s.markPartial(layers, base)
	ds, err := geo.NewDataset(layers)
	if err != nil {
		s.add(Problem{Kind: KindParentLayerMismatch, Message: fmt.Sprintf("cannot order layers: %v", err)})
	} else {
		s.ds = ds
		s.checkPartialRoots()
		s.checkParents()
		if err := s.checkTopology(); err != nil {
			return nil, s.rep, err
		}
		s.checkGCJ02()
	}
	s.prog.report(StageDone, 1, 1)
	s.summarise(layers)
	s.locate()
	s.rep.sortProblems()
	if s.rep.Errors() > 0 || s.ds == nil {
		return nil, s.rep, s.rep.Err()
	}
	return s.ds, s.rep, nil
}

// read reads every source, in parallel.
func (s *state) read(srcs []Source) {
	s.files = make([]*fileData, len(srcs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, src := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			s.files[i] = readFile(s.ctx, src, s.opts, s.prog)
		}()
	}
	wg.Wait()
	for _, fd := range s.files {
		s.rep.Files = append(s.rep.Files, fd.summary)
		for _, p := range fd.problems {
			s.rep.add(p)
		}
	}
}

// prepareGeometry converts positions to WGS84, snaps near-coincident
// vertices when Options.Fix is set, orients rings and checks each
// geometry's validity, in parallel over features (the snapping, which
// depends on the order of features, runs alone between).
func (s *state) prepareGeometry(snap map[lattice]orb.Point, base *geo.Dataset) {
	s.eachFeature(func(fd *fileData, f *feature) {
		if conv := fd.decl.sys.Converter(); conv != nil {
			transformMP(f.geom, conv)
			snapMP(f.geom, snap)
		}
	})
	if s.opts.Fix {
		s.snapNear(base)
	}
	var total, done atomic.Int64
	for _, fd := range s.files {
		for _, f := range fd.features {
			if f.geom != nil {
				total.Add(1)
			}
		}
	}
	s.eachFeature(func(fd *fileData, f *feature) {
		defer func() { s.prog.report(StageGeometry, done.Add(1), total.Load()) }()
		orient(f.geom)
		kind, msg, at := checkValidity(f.geom)
		if kind != "" {
			s.add(Problem{Kind: kind, File: fd.src.Path, Feature: f.index, Code: f.code, Layer: fd.src.Layer,
				Message: where(fd.src.Path, f.index, f.code) + ": " + msg + fmtLoc(at), Location: at})
			f.geom = nil
		}
	})
}

// eachFeature calls fn for every feature with a geometry, in parallel.
func (s *state) eachFeature(fn func(fd *fileData, f *feature)) {
	type job struct {
		fd *fileData
		f  *feature
	}
	jobs := make(chan job, 256)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				fn(j.fd, j.f)
			}
		}()
	}
	for _, fd := range s.files {
		for _, f := range fd.features {
			if f.geom != nil {
				jobs <- job{fd, f}
			}
		}
	}
	close(jobs)
	wg.Wait()
}

// newGrid makes the model grid of a decoded feature.
func (s *state) newGrid(fd *fileData, f *feature) *geo.Grid {
	g := &geo.Grid{Code: f.code, Name: f.name, Level: f.level, Parent: f.parent, Props: f.props, Geom: f.geom}
	s.origins[g] = origin{file: fd.src.Path, index: f.index}
	return g
}

// usable reports whether a feature can join a layer.
func usable(f *feature) bool { return f.geom != nil && f.code != "" }

// replaceLayers builds one layer per source layer name (sources naming the
// same layer are concatenated) and carries over the other base layers.
func (s *state) replaceLayers(base *geo.Dataset) []*geo.Layer {
	var order []string
	grids := map[string][]*geo.Grid{}
	for _, fd := range s.files {
		name := fd.src.Layer
		if _, ok := grids[name]; !ok {
			order = append(order, name)
			grids[name] = nil
		}
		for _, f := range fd.features {
			if usable(f) {
				grids[name] = append(grids[name], s.newGrid(fd, f))
			}
		}
	}
	var layers []*geo.Layer
	if base != nil {
		for _, l := range base.Layers {
			if _, ok := grids[l.Name]; !ok {
				nl := geo.NewLayer(l.Name, append([]*geo.Grid(nil), l.Grids...))
				nl.Partial = l.Partial
				layers = append(layers, nl)
			}
		}
	}
	for _, name := range order {
		s.checkDuplicates(name, grids[name])
		layers = append(layers, geo.NewLayer(name, grids[name]))
	}
	return layers
}

// checkDuplicates reports codes used twice among gs.
func (s *state) checkDuplicates(layer string, gs []*geo.Grid) {
	first := map[string]*geo.Grid{}
	for _, g := range gs {
		f, dup := first[g.Code]
		if !dup {
			first[g.Code] = g
			continue
		}
		a, b := s.originOf(f), s.originOf(g)
		s.add(Problem{Kind: KindCodeDuplicate, File: b.file, Feature: b.index, Code: g.Code, Layer: layer, Other: g.Code,
			Message: fmt.Sprintf("duplicate code %s in layer %s: %s and %s", g.Code, layer, where(a.file, a.index, ""), where(b.file, b.index, ""))})
	}
}

// summarise fills the layer summaries.
func (s *state) summarise(layers []*geo.Layer) {
	if s.ds != nil {
		layers = s.ds.Layers
	}
	for _, l := range layers {
		s.rep.Layers = append(s.rep.Layers, LayerSummary{Name: l.Name, Parent: l.Parent, Grids: len(l.Grids), Vertices: l.Vertices(), Partial: l.Partial})
	}
}

// checkParents checks that every grid's parent exists in its layer's parent
// layer.
func (s *state) checkParents() {
	where := map[string][]string{} // code → layers holding it
	for _, l := range s.ds.Layers {
		for _, g := range l.Grids {
			where[g.Code] = append(where[g.Code], l.Name)
		}
	}
	for _, l := range s.ds.Layers {
		if l.Parent == "" {
			// A root layer: parents named but found nowhere make a partial
			// tree; say so once.
			missing := map[string]bool{}
			for _, g := range l.Grids {
				if g.Parent != "" && len(where[g.Parent]) == 0 {
					missing[g.Parent] = true
				}
			}
			if len(missing) > 0 {
				var codes []string
				for c := range missing {
					codes = append(codes, c)
				}
				sort.Strings(codes)
				if len(codes) > 5 {
					codes = append(codes[:5], "…")
				}
				s.add(Problem{Kind: KindParentUnknown, Severity: SeverityWarning, Layer: l.Name,
					Message: fmt.Sprintf("layer %s is a root: its grids name parent(s) %v found in no layer", l.Name, codes)})
			}
			continue
		}
		pl := s.ds.Layer(l.Parent)
		for _, g := range l.Grids {
			o := s.originOf(g)
			at := where2(o, g.Code)
			switch {
			case g.Parent == "":
				s.add(Problem{Kind: KindParentMissing, File: o.file, Feature: o.index, Code: g.Code, Layer: l.Name,
					Message: fmt.Sprintf("%s: no %q property, but layer %s lies under layer %s", at, s.opts.ParentProp, l.Name, l.Parent)})
			case pl.Grid(g.Parent) != nil:
			case len(where[g.Parent]) > 0:
				s.add(Problem{Kind: KindParentLayerMismatch, File: o.file, Feature: o.index, Code: g.Code, Layer: l.Name,
					Message: fmt.Sprintf("%s: parent %s is in layer %v, not in %s, the parent layer of %s", at, g.Parent, where[g.Parent], l.Parent, l.Name)})
			default:
				s.add(Problem{Kind: KindParentUnknown, File: o.file, Feature: o.index, Code: g.Code, Layer: l.Name,
					Message: fmt.Sprintf("%s: parent %s not found (in layer %s or any other)", at, g.Parent, l.Parent)})
			}
		}
	}
}

func where2(o origin, code string) string { return where(o.file, o.index, code) }
