package importer

import (
	"path/filepath"
	"strings"
)

// Source is one input file; one file makes (or, with Options.Merge, updates)
// one layer.
type Source struct {
	// Layer is the name of the layer the file makes, for example
	// "microgrids".
	Layer string
	// Path is the file to read.
	Path string
}

// ParseSource parses a command-line source argument: "NAME=FILE" names the
// layer explicitly; a bare FILE takes the layer name from the file's base
// name without any extension: microgrids.geojson → microgrids,
// grids.gcj02.geojson → grids.
func ParseSource(arg string) Source {
	if i := strings.Index(arg, "="); i > 0 && !strings.ContainsAny(arg[:i], `/\`) {
		return Source{Layer: arg[:i], Path: arg[i+1:]}
	}
	base := filepath.Base(arg)
	if i := strings.Index(base, "."); i > 0 {
		base = base[:i]
	}
	return Source{Layer: base, Path: arg}
}
