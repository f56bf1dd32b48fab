package importer

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
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

// reservedLayer is the name of the label layer of the vector tiles
// (tiles.LabelLayer; a test keeps the two equal), which no grid layer may
// take.
const reservedLayer = "labels"

// MaxLayerName is the longest layer name, in bytes.
const MaxLayerName = 100

// CheckLayerName returns an error when name cannot name a layer: a layer
// name is 1 to MaxLayerName bytes of letters (of any script), digits, '_'
// and '-'. Layer names become file names in the store and in exports, so
// nothing else (no '/', '.', '\\' or space) is allowed; "labels" is
// reserved.
func CheckLayerName(name string) error {
	if name == "" {
		return fmt.Errorf("empty layer name")
	}
	if name == reservedLayer {
		return fmt.Errorf("layer name %q is reserved: the vector tiles' layer of label points has that name", name)
	}
	if len(name) > MaxLayerName {
		return fmt.Errorf("layer name %.20q… is %d bytes long, more than %d", name, len(name), MaxLayerName)
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' {
			return fmt.Errorf("layer name %q: %q is not allowed (use letters, digits, '_' and '-')", name, r)
		}
	}
	return nil
}
