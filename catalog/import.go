package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
)

// Import imports the files of req over the active version and, unless it
// is a dry run, publishes the result, builds its snapshot and activates it
// (Activate's guarantee: a version that cannot be built is stored but never
// made active). A check that fails changes nothing: the result says
// StatusRejected and the error, the importer's, matches
// version.ErrRejected. A request the catalog refuses is a
// *version.RequestError; an import that fails otherwise matches
// version.ErrBadImport; a version that cannot be built is a
// *version.UnservableError; a store that cannot be reached makes an error
// matching version.ErrUnavailable (nothing is published then, or the
// version whole).
func (c *Catalog) Import(ctx context.Context, req version.ImportRequest) (version.ImportResult, error) {
	opts, err := importerOptions(req.Options)
	if err != nil {
		return version.ImportResult{}, err
	}
	srcs, fileOf, err := sources(ctx, req.Files, opts)
	if err != nil {
		return version.ImportResult{}, err
	}
	c.imports.Lock()
	defer c.imports.Unlock()
	base, active, err := c.activeData(ctx)
	if err != nil {
		return version.ImportResult{}, c.storeFault(ctx, err)
	}
	if err := checkPartial(opts.Partial, srcs, base); err != nil {
		return version.ImportResult{}, err
	}
	res := version.ImportResult{Active: active}
	ds, rep, err := importer.Import(ctx, srcs, base, opts)
	if rep != nil {
		cutDir(rep, req.Dir)
		res.Report = rep
	}
	switch {
	case errors.Is(err, importer.ErrRejected):
		res.Status, res.Unreadable = version.StatusRejected, unreadable(rep)
		return res, &mapped{err, version.ErrRejected}
	case err != nil:
		return res, &mapped{err, version.ErrBadImport}
	}
	if req.DryRun {
		res.Status, res.Diff = version.StatusChecked, importer.Compare(base, ds)
		return res, nil
	}
	if req.Options.Progress != nil {
		req.Options.Progress(version.Progress{Stage: "publish", Percent: 100})
	}
	meta := store.Meta{Who: req.Who, Report: rep, Attribution: req.Attribution}
	for i, src := range srcs {
		sf, err := describe(req.Files[fileOf[i]], src.Layer)
		if err != nil {
			return res, err
		}
		meta.Sources = append(meta.Sources, sf)
	}
	if c.opts.PublishOnly {
		return c.publishOnly(ctx, res, ds, meta)
	}
	// stored first, made active only once it can be served
	m, err := c.st.Publish(ctx, ds, meta, false)
	if err != nil {
		return res, c.storeFault(ctx, fmt.Errorf("publish: %w", err))
	}
	c.own.Store(&m.ID)
	defer c.own.Store(nil)
	aw := c.awaitPrepared(ctx, m.ID)
	if aw != nil {
		defer aw.Close()
	}
	c.swap.Lock()
	defer c.swap.Unlock()
	next, err := c.shared(ctx, m.ID, toActivate, func() (*version.Snapshot, error) { return c.buildData(m, ds, toActivate) })
	if err != nil {
		return res, err
	}
	c.waitPrepared(ctx, aw, m.ID)
	if err := c.activateLocked(ctx, next); err != nil {
		return res, err
	}
	res.Status, res.Version = version.StatusPublished, next.Manifest
	return res, nil
}

// publishOnly publishes and activates ds in one step of the store, for
// Options.PublishOnly.
func (c *Catalog) publishOnly(ctx context.Context, res version.ImportResult, ds *geo.Dataset, meta store.Meta) (version.ImportResult, error) {
	m, err := c.st.Publish(ctx, ds, meta, true)
	if err != nil {
		return res, storeErr(c.storeFault(ctx, fmt.Errorf("publish: %w", err)))
	}
	vm, err := manifest(m)
	if err != nil {
		return res, err
	}
	res.Status, res.Version = version.StatusPublished, vm
	return res, nil
}

// sources returns the importer's sources of files, with the index in files
// of each: a file of several layers with none picked is one source per
// layer. It refuses a layer name the importer does not take, and a file of
// several layers given one layer name but no layer of its own.
func sources(ctx context.Context, files []version.File, opts importer.Options) (srcs []importer.Source, fileOf []int, err error) {
	for i, f := range files {
		src := importer.Source{Layer: f.Layer, Path: f.Path, FileLayer: f.FileLayer, Named: f.Layer != ""}
		if src.Layer == "" {
			src.Layer = importer.ParseSource(f.Path).Layer
			if f.FileLayer != "" {
				src.Layer = f.FileLayer
			}
		}
		ss, err := importer.ExpandLayers(ctx, src, opts)
		if err != nil {
			return nil, nil, &version.RequestError{File: i, Err: err}
		}
		for _, s := range ss {
			if err := importer.CheckLayerName(s.Layer); err != nil {
				return nil, nil, &version.RequestError{File: i, Err: err}
			}
			srcs, fileOf = append(srcs, s), append(fileOf, i)
		}
	}
	return srcs, fileOf, nil
}

// importerOptions returns the importer's options of o, refusing one it
// cannot use.
func importerOptions(o version.ImportOptions) (importer.Options, error) {
	io := importer.Options{
		CodeProp: o.CodeProp, ParentProp: o.ParentProp, NameProp: o.NameProp,
		Tolerance: o.Tolerance, Merge: o.Merge, CRS: o.CRS, Fix: o.Fix, Snap: o.Snap, Partial: o.Partial,
		Limits: importer.Limits(o.Limits),
	}
	if fn := o.Progress; fn != nil {
		io.Progress = func(p importer.Progress) { fn(version.Progress(p)) }
	}
	if err := io.Validate(); err != nil {
		option := "crs"
		if strings.Contains(err.Error(), "tolerance") {
			option = "tolerance"
		} else if strings.Contains(err.Error(), "snap") {
			option = "snap"
		}
		return io, &version.RequestError{File: -1, Option: option, Err: err}
	}
	return io, nil
}

// checkPartial refuses a layer declared partial that is neither a layer of
// the files nor one of the base they build on, as a *version.RequestError
// of the option partial (the importer would reject it too, but as a
// problem of the data rather than of the request).
func checkPartial(partial []string, srcs []importer.Source, base *geo.Dataset) error {
	for _, name := range partial {
		known := base != nil && base.Layer(name) != nil
		for _, src := range srcs {
			known = known || src.Layer == name
		}
		if !known {
			return &version.RequestError{File: -1, Option: "partial",
				Err: fmt.Errorf("layer %q is declared partial but is no layer of the files or of the active version", name)}
		}
	}
	return nil
}

// cutDir names the files of rep as they were uploaded, not where they
// were saved in dir.
func cutDir(rep *importer.Report, dir string) {
	if dir == "" {
		return
	}
	strip := func(x string) string { return strings.ReplaceAll(x, dir+string(filepath.Separator), "") }
	for i := range rep.Problems {
		rep.Problems[i].File = strip(rep.Problems[i].File)
		rep.Problems[i].Message = strip(rep.Problems[i].Message)
	}
	for i := range rep.Files {
		rep.Files[i].Path = strip(rep.Files[i].Path)
	}
}

// unreadable reports whether every error of rep is about reading a file
// at all (rather than about what it holds).
func unreadable(rep *importer.Report) bool {
	if rep == nil || rep.Errors() == 0 {
		return false
	}
	for _, p := range rep.Problems {
		if p.Severity != importer.SeverityError {
			continue
		}
		switch p.Kind {
		case importer.KindJSONSyntax, importer.KindReadError, importer.KindNotCollection, importer.KindEmpty:
		default:
			return false
		}
	}
	return true
}

// describe returns the store's record of file f of layer: its name, and its
// size and SHA-256, hashed when f does not carry them.
func describe(f version.File, layer string) (store.SourceFile, error) {
	sf := store.SourceFile{Layer: layer, Name: f.Name, SHA256: f.SHA256, Bytes: f.Bytes}
	if sf.Name == "" {
		sf.Name = filepath.Base(f.Path)
	}
	if sf.SHA256 != "" {
		return sf, nil
	}
	r, err := os.Open(f.Path)
	if err != nil {
		return sf, err
	}
	defer r.Close()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return sf, fmt.Errorf("hash %s: %w", f.Path, err)
	}
	sf.SHA256, sf.Bytes = hex.EncodeToString(h.Sum(nil)), n
	return sf, nil
}
