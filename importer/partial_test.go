package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
)

// buildingSources writes the layers of gridtest.Buildings, with the
// buildings layer's features replaced by buildings when it is not nil, to
// t's temporary directory and returns their sources, coarse to fine.
func buildingSources(t *testing.T, buildings []string, layers ...string) []Source {
	t.Helper()
	set := gridtest.Buildings()
	if buildings != nil {
		set["buildings"] = gridtest.Collection(buildings...)
	}
	if len(layers) == 0 {
		layers = []string{"county", "grids", "buildings"}
	}
	dir := t.TempDir()
	var srcs []Source
	for _, l := range layers {
		p := filepath.Join(dir, l+".geojson")
		if err := os.WriteFile(p, []byte(set[l]), 0o644); err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, ParseSource(p))
	}
	return srcs
}

// with returns the buildings of gridtest.Buildings and more.
func with(more ...string) []string {
	return append(append([]string(nil), gridtest.BuildingsIn...), more...)
}

// TestPartialChecks: a partial layer skips the gap check and keeps every
// other one; each error names the grid and, where it has one, its place.
func TestPartialChecks(t *testing.T) {
	crossing := gridtest.Box("510104001003", "510104001", 104.0095, 30.604, 104.0105, 30.605)
	tests := []struct {
		name      string
		buildings []string
		partial   []string
		kind      string  // the error wanted, "" for none
		code      string  // the grid the error names
		text      string  // in its message
		areaM2    float64 // about, ±2 %, when > 0
		lonAbove  float64 // the location's longitude exceeds this, when > 0
	}{
		{name: "gaps accepted when partial", partial: []string{"buildings"}},
		{name: "gaps refused when not partial", kind: KindGap, text: "not covered by its children in layer buildings"},
		{name: "building crossing its grid's border", buildings: with(crossing), partial: []string{"buildings"},
			kind: KindNotCovered, code: "510104001003", text: "crosses the border of its parent 510104001 (layer grids) by",
			areaM2: 0.0005 * 0.001 * 111195 * 111195 * 0.8607, lonAbove: 104.01},
		{name: "two buildings overlapping", partial: []string{"buildings"},
			buildings: with(gridtest.Box("510104001003", "510104001", 104.0025, 30.6025, 104.004, 30.604)),
			kind:      KindOverlap, code: "510104001001", text: "overlaps 510104001003 (layer buildings)"},
		{name: "building with an unknown parent", partial: []string{"buildings"},
			buildings: with(gridtest.Box("510104001003", "510104009", 104.007, 30.607, 104.008, 30.608)),
			kind:      KindParentUnknown, code: "510104001003"},
		{name: "building with a bad code", partial: []string{"buildings"},
			buildings: with(strings.Replace(gridtest.Box("x", "510104001", 104.007, 30.607, 104.008, 30.608), `"code":"x"`, `"code":{}`, 1)),
			kind:      KindCodeInvalid},
		{name: "a root layer declared partial", partial: []string{"buildings", "county"}, kind: KindPartialRoot, text: "layer county is declared partial but is a root layer"},
		{name: "an unknown layer declared partial", partial: []string{"buildings", "compounds"}, kind: KindPartialUnknown, text: "layer compounds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, rep, err := Import(context.Background(), buildingSources(t, tt.buildings), nil, Options{Partial: tt.partial})
			if tt.kind == "" {
				if err != nil {
					t.Fatalf("%v\n%s", err, rep.Text())
				}
				if !ds.Layer("buildings").Partial || ds.Layer("grids").Partial {
					t.Errorf("buildings partial %v, grids partial %v", ds.Layer("buildings").Partial, ds.Layer("grids").Partial)
				}
				if !strings.Contains(rep.Text(), "layer buildings ← grids: 3 grids, 15 vertices (partial: need not tile grids)") {
					t.Errorf("report does not say buildings are partial:\n%s", rep.Text())
				}
				return
			}
			if !errors.Is(err, ErrRejected) {
				t.Fatalf("err = %v, want a rejection\n%s", err, rep.Text())
			}
			p := findProblem(rep, tt.kind)
			if p == nil {
				t.Fatalf("no %s problem:\n%s", tt.kind, rep.Text())
			}
			if (tt.code != "" && p.Code != tt.code) || !strings.Contains(p.Message, tt.text) {
				t.Errorf("%s: code %s, message %q; want code %s and %q", tt.kind, p.Code, p.Message, tt.code, tt.text)
			}
			if tt.areaM2 > 0 && (p.AreaM2 < tt.areaM2*0.98 || p.AreaM2 > tt.areaM2*1.02) {
				t.Errorf("area %.1f m², want about %.1f", p.AreaM2, tt.areaM2)
			}
			if tt.lonAbove > 0 && (p.Location == nil || p.Location[0] <= tt.lonAbove) {
				t.Errorf("location %v, want one east of %g (outside the grid)", p.Location, tt.lonAbove)
			}
		})
	}
}

// findProblem returns the first problem of kind in rep, or nil.
func findProblem(rep *Report, kind string) *Problem {
	for i := range rep.Problems {
		if rep.Problems[i].Kind == kind {
			return &rep.Problems[i]
		}
	}
	return nil
}

// TestPartialCrossingPlaced: the part of a building outside its grid is
// a polygon in the GeoJSON of problem places.
func TestPartialCrossingPlaced(t *testing.T) {
	srcs := buildingSources(t, with(gridtest.Box("510104001003", "510104001", 104.0095, 30.604, 104.0105, 30.605)))
	_, rep, _ := Import(context.Background(), srcs, nil, Options{Partial: []string{"buildings"}})
	var b bytes.Buffer
	if _, err := rep.WriteGeoJSON(&b); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); !strings.Contains(s, `"kind":"not_covered_by_parent"`) || !strings.Contains(s, `"type":"Polygon"`) {
		t.Errorf("problem places lack the overhang polygon: %s", s)
	}
}

// TestPartialKept: a merge keeps a layer's declaration, an import that
// leaves the layer alone keeps it too, and one that replaces the layer
// without declaring it partial drops it, so the gaps are refused again.
func TestPartialKept(t *testing.T) {
	ctx := context.Background()
	base, rep, err := Import(ctx, buildingSources(t, nil), nil, Options{Partial: []string{"buildings"}})
	if err != nil {
		t.Fatalf("%v\n%s", err, rep.Text())
	}
	moved := []string{gridtest.Box("510104001002", "510104001", 104.006, 30.606, 104.007, 30.607)}
	tests := []struct {
		name    string
		srcs    []Source
		opts    Options
		partial bool   // buildings partial after, when accepted
		kind    string // the error wanted, "" for none
	}{
		{"merge of one building", buildingSources(t, moved, "buildings"), Options{Merge: true}, true, ""},
		{"grids replaced, buildings left alone", buildingSources(t, nil, "grids"), Options{}, true, ""},
		{"buildings replaced without --partial", buildingSources(t, nil, "buildings"), Options{}, false, KindGap},
		{"buildings replaced with --partial", buildingSources(t, nil, "buildings"), Options{Partial: []string{"buildings"}}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, rep, err := Import(ctx, tt.srcs, base, tt.opts)
			if tt.kind != "" {
				if !errors.Is(err, ErrRejected) || findProblem(rep, tt.kind) == nil {
					t.Fatalf("err = %v, want a rejection with %s\n%s", err, tt.kind, rep.Text())
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, rep.Text())
			}
			if got := ds.Layer("buildings").Partial; got != tt.partial {
				t.Errorf("buildings partial = %v, want %v", got, tt.partial)
			}
		})
	}
}

// TestPartialDiff: a diff says which layers are partial and notes a
// layer that became partial or stopped being.
func TestPartialDiff(t *testing.T) {
	ctx := context.Background()
	a, _, err := Import(ctx, buildingSources(t, nil), nil, Options{Partial: []string{"buildings", "grids"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := Import(ctx, buildingSources(t, nil, "grids"), a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := Compare(a, b)
	want := map[string]LayerDiff{
		"grids":     {Layer: "grids", Unchanged: 2, PartialChange: PartialDropped},
		"buildings": {Layer: "buildings", Unchanged: 3, Partial: true},
	}
	for _, l := range d.Layers {
		if w, ok := want[l.Layer]; ok && (l.Partial != w.Partial || l.PartialChange != w.PartialChange || l.Unchanged != w.Unchanged) {
			t.Errorf("layer %s: %+v, want %+v", l.Layer, l, w)
		}
	}
	if d.Empty() {
		t.Error("Empty() with a declaration dropped")
	}
	if s := d.Text(0); !strings.Contains(s, "layer grids: no longer partial") {
		t.Errorf("text does not note the change:\n%s", s)
	}
	if s := Compare(b, a).Text(0); !strings.Contains(s, "layer grids: now partial") {
		t.Errorf("text does not note the change:\n%s", s)
	}
}

// TestImportJinjiang imports the Jinjiang district whole, its 15,414
// buildings declared partial: no error, five layers, and the 37 grids
// without a building only warned about.
func TestImportJinjiang(t *testing.T) {
	srcs := setSources(t, "jinjiang", "county", "towns", "villages", "grids", "buildings")
	ds, rep, err := Import(context.Background(), srcs, nil, Options{Partial: []string{"buildings"}})
	if err != nil {
		t.Fatalf("%v\n%s", err, rep.Text())
	}
	if rep.Errors() != 0 || len(ds.Layers) != 5 || !ds.Layer("buildings").Partial || len(ds.Layer("buildings").Grids) != 15414 {
		t.Fatalf("%d errors, %d layers, buildings partial %v\n%s", rep.Errors(), len(ds.Layers), ds.Layer("buildings").Partial, rep.Text())
	}
	if p := findProblem(rep, KindChildless); p == nil || !strings.HasPrefix(p.Message, "37 grid(s) of layer grids hold none of the partial layer buildings") {
		t.Errorf("childless warning %+v", p)
	}
}

// TestPartialMeasuredCap: past maxMeasured buildings found outside their
// grids, the rest are named in one error instead of being measured.
func TestPartialMeasuredCap(t *testing.T) {
	var crossing []string
	for i := range 150 {
		y := 30.6 + float64(i)*0.00006
		crossing = append(crossing, gridtest.Box(fmt.Sprintf("510104001%03d", 100+i), "510104001", 104.0095, y, 104.0105, y+0.00005))
	}
	_, rep, err := Import(context.Background(), buildingSources(t, crossing), nil, Options{Partial: []string{"buildings"}})
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("err = %v, want a rejection", err)
	}
	measured, summary := 0, ""
	for _, p := range rep.Problems {
		switch {
		case p.Kind != KindNotCovered:
		case p.AreaM2 > 0:
			measured++
		default:
			summary = p.Message
		}
	}
	if measured != maxMeasured || !strings.HasPrefix(summary, "50 more grid(s) of the partial layer buildings may reach outside") || !strings.Contains(summary, "510104001200") {
		t.Errorf("%d measured, summary %q", measured, summary)
	}
}
