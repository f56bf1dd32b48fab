package importer

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
)

// Source is one input file, or one layer of a file holding several (a
// GeoPackage, KML or FileGDB); one source makes (or, with Options.Merge,
// updates) one layer.
type Source struct {
	// Layer is the name of the layer the source makes, for example
	// "microgrids".
	Layer string
	// Path is the file to read.
	Path string
	// FileLayer is the layer of a multi-layer file to read; "" reads the
	// file's one layer, or, when the file holds several, every one of them
	// as a layer of its own name (see ExpandLayers).
	FileLayer string
	// Named says that Layer was chosen by the caller (NAME=FILE), not
	// taken from the file's name: a file of several layers must then say
	// which (NAME=FILE:LAYER).
	Named bool
}

// ParseSource parses a command-line source argument: "NAME=FILE" names the
// layer explicitly; a bare FILE takes the layer name from the file's base
// name without any extension: microgrids.geojson → microgrids,
// grids.gcj02.geojson → grids. A file read through GDAL (GeoPackage, KML,
// FileGDB…) may end in ":LAYER" to pick one of its layers:
// "grids=jiangyin.gpkg:wangge" makes layer grids of layer wangge, and
// "jiangyin.gpkg:towns" makes layer towns.
func ParseSource(arg string) Source {
	var src Source
	if i := strings.Index(arg, "="); i > 0 && !strings.ContainsAny(arg[:i], `/\`) {
		src = Source{Layer: arg[:i], Path: arg[i+1:], Named: true}
	} else {
		src = Source{Path: arg}
	}
	if i := strings.LastIndex(src.Path, ":"); i > 0 && i < len(src.Path)-1 && multiLayer(src.Path[:i]) {
		src.Path, src.FileLayer = src.Path[:i], src.Path[i+1:]
	}
	if !src.Named {
		if src.FileLayer != "" {
			src.Layer = src.FileLayer
		} else {
			src.Layer = baseName(src.Path)
		}
	}
	return src
}

// baseName returns the base name of path without any extension.
func baseName(path string) string {
	base := filepath.Base(path)
	if i := strings.Index(base, "."); i > 0 {
		base = base[:i]
	}
	return base
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
