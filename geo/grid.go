package geo

import (
	"github.com/paulmach/orb"
)

// Grid is one polygon of a layer: a county, town, village, grid or micro grid.
type Grid struct {
	// Code identifies the grid; it is unique within its layer.
	Code string
	// Name is the human name, for example 文定社区第03网格.
	Name string
	// Level is the administrative level as given by the source (county,
	// town, village, grid, micro, ...); empty when the source gives none.
	Level string
	// Parent is the code of the grid in the parent layer that contains this
	// one; empty for the root of a tree.
	Parent string
	// Props holds every property of the source feature, including code,
	// name, level and parent, as decoded from JSON.
	Props map[string]any
	// Geom is the boundary, WGS84/CGCS2000 (lon, lat) degrees, outer rings
	// counter-clockwise and holes clockwise.
	Geom orb.MultiPolygon
}

// Bound returns the bounding box of the grid, (lon, lat) degrees.
func (g *Grid) Bound() orb.Bound { return g.Geom.Bound() }
