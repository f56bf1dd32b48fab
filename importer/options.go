package importer

import (
	"fmt"
	"math"
	"strings"

	"github.com/gridmap/gridmap/geo/crs"
)

// The geographic systems of Options.CRS by their ids; Options.CRS takes
// every name crs.ParseSystem accepts (crs.Names lists them).
const (
	CRSWGS84    = string(crs.WGS84)    // WGS84 lon/lat degrees (the model's system)
	CRSCGCS2000 = string(crs.CGCS2000) // China Geodetic CS 2000 lon/lat; treated as WGS84
	CRSGCJ02    = string(crs.GCJ02)    // GCJ-02 "Mars coordinates" of Chinese web maps
	CRSBD09     = string(crs.BD09)     // BD-09, Baidu's variant of GCJ-02
)

// Options tune Import. The zero value is usable: empty fields take the
// defaults documented on each field.
type Options struct {
	// CodeProp, ParentProp and NameProp name the feature properties that
	// hold a grid's code, its parent's code and its name. Defaults "code",
	// "parent", "name".
	CodeProp, ParentProp, NameProp string
	// LevelProp names the property holding the level. Default "level".
	LevelProp string
	// Tolerance is the area, in square metres, below which an overlap, a gap
	// or a part of a child outside its parent is ignored. Default 1 m².
	Tolerance float64
	// Merge makes the sources update the base dataset feature by feature:
	// a feature replaces the grid with its code wherever it is, and a new
	// code joins the layer that holds its parent's other children. Without
	// Merge every source replaces (or adds) the whole layer it names.
	Merge bool
	// CRS is the coordinate system of the input positions, any name
	// crs.ParseSystem accepts: "" or "wgs84" or "cgcs2000" or
	// EPSG:4326/EPSG:4490 (no conversion), "gcj02", "bd09", or a CGCS2000
	// Gauss–Krüger zone "EPSG:4491" … "EPSG:4554" (converted to WGS84). Empty means: as the file declares (a GeoJSON
	// "crs" member, else a .prj file beside it), else WGS84. A CRS given
	// here overrides what a file declares.
	CRS string
	// Fix repairs what can be repaired without guessing, and reports each
	// repair as a Problem of severity "fixed": unclosed rings are closed,
	// repeated consecutive positions dropped, and vertices within Snap
	// metres of a vertex of another grid (of the base layers that stay, or
	// read earlier in this import) moved onto it. Without Fix these are
	// errors (unclosed rings) or left as they are.
	Fix bool
	// Snap is the distance in metres within which Fix moves a vertex onto
	// a neighbour's vertex. Default 0.05 m (5 cm, five steps of the 1e-7°
	// lattice data is usually written on).
	Snap float64
	// OGR2OGR is the ogr2ogr program that converts Shapefiles, GeoPackages
	// and KML to GeoJSON. Default "ogr2ogr", found on PATH.
	OGR2OGR string
	// Progress, when set, is called as the import proceeds (stage and
	// percent), from one goroutine at a time; it must return quickly.
	Progress func(Progress)
	// MaxListed caps how many problems of one kind Report.Text lists.
	// Default 20.
	MaxListed int
	// Limits cap the size of files, layers and features (limits.go).
	Limits Limits
	// Partial names the layers that need not tile their parents (see
	// geo.Layer.Partial): the gap check is skipped for them, every other
	// check holds. A layer of the base that the import does not name keeps
	// its own declaration.
	Partial []string
}

// withDefaults returns o with empty fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.CodeProp == "" {
		o.CodeProp = "code"
	}
	if o.ParentProp == "" {
		o.ParentProp = "parent"
	}
	if o.NameProp == "" {
		o.NameProp = "name"
	}
	if o.LevelProp == "" {
		o.LevelProp = "level"
	}
	if o.Tolerance == 0 {
		o.Tolerance = 1
	}
	if o.Snap == 0 {
		o.Snap = 0.05
	}
	if o.MaxListed == 0 {
		o.MaxListed = 20
	}
	o.CRS = strings.ToLower(strings.TrimSpace(o.CRS))
	o.Limits = o.Limits.withDefaults()
	return o
}

// Validate reports an option that cannot be used.
func (o Options) Validate() error {
	if _, err := crs.ParseSystem(o.CRS); err != nil {
		return fmt.Errorf("importer: %w", err)
	}
	if !(o.Snap >= 0 && o.Snap <= 100) {
		return fmt.Errorf("importer: snap distance %g m out of range 0..100 m", o.Snap)
	}
	if !(o.Tolerance >= 0) || math.IsInf(o.Tolerance, 1) {
		return fmt.Errorf("importer: tolerance %g m² must be a finite number ≥ 0", o.Tolerance)
	}
	return nil
}
