package tiles

import (
	"encoding/json"
	"math"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb/geojson"
)

// TileJSON field types (vector_layers[].fields values).
const (
	fieldString  = "String"
	fieldNumber  = "Number"
	fieldBoolean = "Boolean"
	fieldMixed   = "Mixed" // the property has values of several types
)

// standardProps are carried by every layer, from the grid's fields (code,
// name, level, parent) or its properties (households, grid_type).
var standardProps = []string{"code", "name", "level", "parent", "households", "grid_type"}

// featureProps returns the MVT properties of g: code, name, level, parent
// (when set), households and grid_type when g.Props has them, and the extra
// properties named (see Options.ExtraProps). It records the TileJSON type of
// each in fields.
func featureProps(g *geo.Grid, extra []string, fields map[string]string) geojson.Properties {
	p := geojson.Properties{}
	set := func(k string, v any) {
		v, typ := mvtValue(v)
		if v == nil {
			return
		}
		p[k] = v
		if old, ok := fields[k]; ok && old != typ {
			typ = fieldMixed
		}
		fields[k] = typ
	}
	set("code", g.Code)
	if g.Name != "" {
		set("name", g.Name)
	}
	if g.Level != "" {
		set("level", g.Level)
	}
	if g.Parent != "" {
		set("parent", g.Parent)
	}
	if h, ok := g.Props["households"]; ok {
		if _, isStr := h.(string); !isStr {
			set("households", h)
		}
	}
	if t, ok := g.Props["grid_type"].(string); ok && t != "" {
		set("grid_type", t)
	}
	all := len(extra) == 1 && extra[0] == AllProps
	if all {
		for k, v := range g.Props {
			if !slices.Contains(standardProps, k) {
				set(k, v)
			}
		}
		return p
	}
	for _, k := range extra {
		if v, ok := g.Props[k]; ok && !slices.Contains(standardProps, k) {
			set(k, v)
		}
	}
	return p
}

// mvtValue returns v as an MVT property value and its TileJSON type:
// strings and booleans as they are, whole numbers below 2^53 as int64,
// other numbers as float64, null as nil (left out), anything else as its
// JSON text.
func mvtValue(v any) (any, string) {
	switch x := v.(type) {
	case nil:
		return nil, ""
	case string:
		return x, fieldString
	case bool:
		return x, fieldBoolean
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), fieldNumber
		}
		return x, fieldNumber
	case int:
		return int64(x), fieldNumber
	case int64:
		return x, fieldNumber
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, fieldNumber
		}
		f, _ := x.Float64()
		return f, fieldNumber
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, ""
	}
	return string(b), fieldString
}

// labelFields are the properties of the labels layer.
var labelFields = map[string]string{"code": fieldString, "name": fieldString, "layer": fieldString}

// labelProps returns the properties of g's point in the labels layer.
func labelProps(g *geo.Grid, layer string) geojson.Properties {
	p := geojson.Properties{"code": g.Code, "layer": layer}
	if g.Name != "" {
		p["name"] = g.Name
	}
	return p
}
