package version

import (
	"fmt"
	"io"
)

// ImportOptions are the import settings a caller chooses; the catalog passes
// them to the importer, whose Options document each (importer.Options). The
// zero value takes the importer's defaults.
type ImportOptions struct {
	CodeProp, ParentProp, NameProp string
	// Tolerance is in square metres.
	Tolerance float64
	Merge     bool
	// CRS names the coordinate system of the files ("" as they declare).
	CRS string
	Fix bool
	// Snap is in metres.
	Snap float64
	// Progress, when set, is called as the import proceeds, one call at a
	// time; it must return quickly.
	Progress func(Progress)
	// Limits cap the files, layers and features; the zero value takes the
	// importer's defaults.
	Limits ImportLimits
	// Partial names the layers that need not tile their parents
	// (importer.Options.Partial).
	Partial []string
}

// ImportLimits cap what an import takes (importer.Limits documents each):
// the bytes of one file, the features of one layer, the vertices of one
// feature. Zero fields take the importer's defaults, negative ones mean no
// cap.
type ImportLimits struct {
	MaxFileBytes int64
	MaxFeatures  int
	MaxVertices  int
}

// Progress is one report of how far an import has come: stage (read,
// geometry, topology, done, then publish), counts and percent of the whole.
type Progress struct {
	Stage   string  `json:"stage"`
	Done    int64   `json:"done"`
	Total   int64   `json:"total"`
	Percent float64 `json:"percent"`
}

// File is one file to import.
type File struct {
	// Path is where the file is.
	Path string
	// Layer is the layer it makes; "" takes it from the file's base name
	// (or from FileLayer).
	Layer string
	// FileLayer picks a layer of a file holding several (GeoPackage, KML,
	// FileGDB); "" reads a file's one layer, or every layer of a file of
	// several, each under its own name, when Layer is "" too.
	FileLayer string
	// Name is the file's name as its sender knows it; "" for Path's base
	// name. Reports name the file so.
	Name string
	// SHA256 (hex) and Bytes describe the file; empty, they are computed.
	SHA256 string
	Bytes  int64
}

// ImportRequest asks for files to be imported over the active version.
type ImportRequest struct {
	Files   []File
	Options ImportOptions
	// DryRun checks only: nothing is published.
	DryRun bool
	// Who is importing (kept in the version).
	Who string
	// Dir, when set, is the directory the files were saved in; it is cut
	// from the file names in the report.
	Dir string
	// Attribution, when set, credits the data's source and licence; it is
	// kept in the version and shown with the map.
	Attribution string
}

// Import outcomes (ImportResult.Status).
const (
	StatusPublished = "published" // stored, built and active
	StatusChecked   = "checked"   // a dry run whose checks passed
	StatusRejected  = "rejected"  // a check failed; nothing changed
)

// ImportResult is what an import did.
type ImportResult struct {
	Status string
	// Active is the version that was active when the import began, "" for
	// none.
	Active string
	// Version is the published version (StatusPublished).
	Version Manifest
	// Report is the importer's report; nil when it made none.
	Report Report
	// Diff holds the changes against the active version (dry runs with an
	// active version), else nil.
	Diff Diff
	// Unreadable: a rejected import whose every error is about reading a
	// file at all (not JSON, empty, not a FeatureCollection), rather than
	// about what it holds.
	Unreadable bool
}

// Report is the importer's report of an import: it encodes to JSON, and
// reads as text for a terminal.
type Report interface {
	// Text is the report for a terminal.
	Text() string
	// WriteGeoJSON writes the places of the problems as GeoJSON and
	// returns how many it wrote.
	WriteGeoJSON(w io.Writer) (int, error)
	// Errors counts the problems of severity error.
	Errors() int
}

// Diff is the change from one version to another: it encodes to JSON, and
// reads as text.
type Diff interface {
	// Text lists at most max grids per layer and kind (0: all).
	Text(max int) string
}

// RequestError is an import request the catalog refuses before importing:
// a file whose layer cannot be named so, or an option it cannot use.
type RequestError struct {
	// File is the index in ImportRequest.Files of the file at fault, or -1.
	File int
	// Option names the option at fault (crs, snap, tolerance), or "".
	Option string
	Err    error
}

func (e *RequestError) Error() string {
	if e.File >= 0 {
		return fmt.Sprintf("file %d: %v", e.File, e.Err)
	}
	return e.Err.Error()
}

func (e *RequestError) Unwrap() error { return e.Err }

// UnservableError is a version that cannot be loaded or built, and so is
// not made active. It matches ErrUnservable.
type UnservableError struct {
	ID  string
	Err error
}

func (e *UnservableError) Error() string {
	return fmt.Sprintf("version %s cannot be served, so it stays inactive: %v", e.ID, e.Err)
}

func (e *UnservableError) Unwrap() error { return e.Err }

// Is matches ErrUnservable.
func (e *UnservableError) Is(target error) bool { return target == ErrUnservable }
