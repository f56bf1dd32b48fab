package importer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/paulmach/orb"
)

// Problem kinds. The names are stable: tools and tests match on them.
const (
	KindJSONSyntax          = "json_syntax"            // not valid JSON (Line, Column set)
	KindReadError           = "read_error"             // the file cannot be opened or read
	KindNotCollection       = "not_feature_collection" // top-level value is not a FeatureCollection or Feature
	KindFeatureType         = "feature_type"           // an element of "features" is not a Feature
	KindEmpty               = "empty"                  // no features at all
	KindGeometryType        = "geometry_type"          // geometry missing or not Polygon/MultiPolygon
	KindRingUnclosed        = "ring_unclosed"          // first position != last (RFC 7946 3.1.6)
	KindRingTooShort        = "ring_too_short"         // fewer than 4 positions
	KindCoordinateInvalid   = "coordinate_invalid"     // non-finite, malformed or out of lon/lat range
	KindProjected           = "projected_coordinates"  // metres of a projection, not degrees
	KindLatLonSwapped       = "latlon_swapped"         // positions written [lat, lon]
	KindInvalidGeometry     = "invalid_geometry"       // OGC invalid: self-intersection, crossing rings ...
	KindHoleOutsideShell    = "hole_outside_shell"     // interior ring not inside its exterior ring
	KindCodeMissing         = "code_missing"           // no code property
	KindCodeInvalid         = "code_invalid"           // code not a string or integer
	KindCodeDuplicate       = "code_duplicate"         // code used twice in a layer
	KindParentUnknown       = "parent_unknown"         // parent code in no layer of the dataset
	KindParentMissing       = "parent_missing"         // no parent in a layer that has a parent layer
	KindParentLayerMismatch = "parent_layer_mismatch"  // parent found, but not in the layer's parent layer
	KindUnplaced            = "unplaced"               // merge: no layer for a new code
	KindOverlap             = "overlap"                // two grids of a layer overlap
	KindGap                 = "gap"                    // part of a parent covered by none of its children
	KindNotCovered          = "not_covered_by_parent"  // part of a child outside its parent
	KindChildless           = "parent_without_children"
	KindPartialUnknown      = "partial_unknown" // a layer declared partial that the dataset does not hold
	KindPartialRoot         = "partial_root"    // a root layer declared partial
	KindLooksGCJ02          = "looks_gcj02"     // positions look shifted by GCJ-02
	KindCRSUnsupported      = "crs_unsupported" // a declared coordinate system that cannot be read
	KindRepeatedPoint       = "repeated_point"  // consecutive equal positions (dropped by Fix)
	KindVertexSnapped       = "vertex_snapped"  // vertices moved onto a neighbour's (by Fix)
)

// Severities of a Problem.
const (
	SeverityError   = "error"   // the import is rejected
	SeverityWarning = "warning" // reported, the import goes on
	SeverityFixed   = "fixed"   // repaired by Options.Fix, as the message says
)

// Problem is one finding of the checks.
type Problem struct {
	// Kind is a stable machine name, one of the Kind constants.
	Kind string `json:"kind"`
	// Severity is "error" (rejects the import), "warning" or "fixed" (a
	// repair made by Options.Fix).
	Severity string `json:"severity"`
	// File is the source path, or "" for a grid carried over from the base.
	File string `json:"file,omitempty"`
	// Feature is the 1-based index of the feature in File; 0 means the whole
	// file or a grid not read from a file.
	Feature int `json:"feature,omitempty"`
	// Code is the code of the grid concerned, when known.
	Code string `json:"code,omitempty"`
	// Layer is the layer concerned, when known.
	Layer string `json:"layer,omitempty"`
	// Message is a sentence for people naming file, feature, code, field and
	// place.
	Message string `json:"message"`
	// Location is a (lon, lat) WGS84 point at or near the problem.
	Location *[2]float64 `json:"location,omitempty"`
	// Line and Column (1-based, column in bytes) locate a JSON syntax error.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// AreaM2 is the area of an overlap, gap or overhang in square metres.
	AreaM2 float64 `json:"area_m2,omitempty"`
	// Other is the code of the second grid of an overlap, or of a duplicate.
	Other string `json:"other,omitempty"`
	// Limit is the config key of the limit a KindLimit problem passed
	// ("limits.import_max_vertices").
	Limit string `json:"limit,omitempty"`

	// shape is the polygon (orb.Polygon or orb.MultiPolygon) of an
	// overlap, gap or overhang, for Report.WriteGeoJSON; nil for other
	// problems.
	shape orb.Geometry
}

// FileSummary describes one source file as read.
type FileSummary struct {
	Path     string `json:"path"`
	Layer    string `json:"layer"`
	Format   string `json:"format"` // "FeatureCollection" or "ndjson"
	Features int    `json:"features"`
	Bytes    int64  `json:"bytes"`
}

// LayerSummary describes one layer of the resulting (or attempted) dataset.
type LayerSummary struct {
	Name     string `json:"name"`
	Parent   string `json:"parent,omitempty"`
	Grids    int    `json:"grids"`
	Vertices int    `json:"vertices"`
	// Partial is true for a layer whose grids need not tile their parents
	// (geo.Layer.Partial).
	Partial bool `json:"partial,omitempty"`
}

// PartialNote is what a listing of layers says after a layer: " (partial:
// need not tile PARENT)" for a partial layer, "" for another.
func PartialNote(partial bool, parent string) string {
	if !partial {
		return ""
	}
	if parent == "" {
		return " (partial)"
	}
	return " (partial: need not tile " + parent + ")"
}

// Report is the outcome of an Import: what was read, the layers, and every
// problem found.
type Report struct {
	Files    []FileSummary  `json:"files"`
	Layers   []LayerSummary `json:"layers"`
	Problems []Problem      `json:"problems"`
	// Counts is the number of problems per Kind.
	Counts map[string]int `json:"counts"`

	maxListed int
}

func (r *Report) add(p Problem) {
	if p.Severity == "" {
		p.Severity = SeverityError
	}
	r.Problems = append(r.Problems, p)
	if r.Counts == nil {
		r.Counts = map[string]int{}
	}
	r.Counts[p.Kind]++
}

// Errors returns the number of problems of severity error.
func (r *Report) Errors() int {
	n := 0
	for _, p := range r.Problems {
		if p.Severity == SeverityError {
			n++
		}
	}
	return n
}

// Has reports whether the report holds a problem of the given kind.
func (r *Report) Has(kind string) bool { return r != nil && r.Counts[kind] > 0 }

// Err returns nil when no problem has severity error, else an error wrapping
// ErrRejected that names the count and the first problem.
func (r *Report) Err() error {
	if r == nil {
		return nil
	}
	n := r.Errors()
	if n == 0 {
		return nil
	}
	// a warning that explains the errors (the file is in GCJ-02) is worth
	// more than the first of them
	hint := ""
	for _, p := range r.Problems {
		if p.Kind == KindLooksGCJ02 {
			hint = "; " + string(p.Kind) + ": " + p.Text()
			break
		}
	}
	for _, p := range r.Problems {
		if p.Severity == SeverityError {
			return fmt.Errorf("%w: %d error(s); first: %s: %s%s", ErrRejected, n, p.Kind, p.Text(), hint)
		}
	}
	return ErrRejected
}

// Text returns the problem's message and, when the message does not give
// one, its location: "… (at 120.2819552, 31.9061735)".
func (p Problem) Text() string {
	if p.Location == nil || strings.Contains(p.Message, " at (") {
		return p.Message
	}
	return fmt.Sprintf("%s (at %.7f, %.7f)", p.Message, p.Location[0], p.Location[1])
}

// sortProblems orders problems by file, feature, then kind, keeping the
// order of discovery otherwise, so reports are stable across runs.
func (r *Report) sortProblems() {
	sort.SliceStable(r.Problems, func(i, j int) bool {
		a, b := r.Problems[i], r.Problems[j]
		if a.Severity != b.Severity {
			return a.Severity == SeverityError
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Feature != b.Feature {
			return a.Feature < b.Feature
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Code < b.Code
	})
}

// Text renders the report for people: files, layers, then problems grouped
// by kind, at most Options.MaxListed (default 20) listed per kind.
func (r *Report) Text() string {
	var b strings.Builder
	max := r.maxListed
	if max <= 0 {
		max = 20
	}
	for _, f := range r.Files {
		fmt.Fprintf(&b, "file %s → layer %s: %d features (%s, %d bytes)\n", f.Path, f.Layer, f.Features, f.Format, f.Bytes)
	}
	for _, l := range r.Layers {
		parent := l.Parent
		if parent == "" {
			parent = "(root)"
		}
		fmt.Fprintf(&b, "layer %s ← %s: %d grids, %d vertices%s\n", l.Name, parent, l.Grids, l.Vertices, PartialNote(l.Partial, l.Parent))
	}
	errs, warns, fixed := 0, 0, 0
	for _, p := range r.Problems {
		switch p.Severity {
		case SeverityError:
			errs++
		case SeverityFixed:
			fixed++
		default:
			warns++
		}
	}
	if errs+warns+fixed == 0 {
		b.WriteString("no problems\n")
		return b.String()
	}
	fmt.Fprintf(&b, "%d error(s), %d warning(s), %d fixed\n", errs, warns, fixed)
	var kinds []string
	for k := range r.Counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(&b, "%s: %d\n", k, r.Counts[k])
		n := 0
		for _, p := range r.Problems {
			if p.Kind != k {
				continue
			}
			if n == max {
				fmt.Fprintf(&b, "  … and %d more\n", r.Counts[k]-max)
				break
			}
			n++
			fmt.Fprintf(&b, "  %s: %s\n", p.Severity, p.Text())
		}
	}
	return b.String()
}

// where names a feature in messages: `file feature #3 (code 3202...)`.
func where(file string, feature int, code string) string {
	var parts []string
	if file != "" {
		parts = append(parts, file)
	}
	if feature > 0 {
		parts = append(parts, fmt.Sprintf("feature #%d", feature))
	}
	if code != "" {
		parts = append(parts, "code "+code)
	}
	if len(parts) == 0 {
		return "dataset"
	}
	return strings.Join(parts, " ")
}

func loc(x, y float64) *[2]float64 { return &[2]float64{x, y} }

func fmtLoc(p *[2]float64) string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf(" at (%.7f, %.7f)", p[0], p[1])
}
