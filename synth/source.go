package synth

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// LayerNames are the layers a source directory holds, coarsest first, each in
// NAME.geojson.
var LayerNames = []string{"county", "towns", "villages", "grids", "microgrids"}

// ErrSource marks a source directory that cannot be used.
var ErrSource = errors.New("synth: bad source")

// Source is one county's layers, read once and copied many times.
type Source struct {
	// Layers are in the order of LayerNames.
	Layers []Layer
	// Prefix is the code prefix replaced in copies: the first six
	// characters of the county's code.
	Prefix string
	// Bound is the bounding box of the county layer.
	Bound orb.Bound
}

// Layer is one source layer.
type Layer struct {
	Name     string
	Features []Feature
}

// Feature is one source grid.
type Feature struct {
	Code, Name, Level, Parent string
	// nameJSON is Name as a JSON string without its closing quote.
	nameJSON []byte
	// extra holds the other properties as JSON members, each preceded by
	// a comma, in key order.
	extra []byte
	// Extra holds the other properties as decoded.
	Extra map[string]any
	Geom  orb.MultiPolygon
	// poly is true when the source geometry was a Polygon.
	poly bool
}

// ReadSource reads the layers of LayerNames from dir.
func ReadSource(dir string) (*Source, error) {
	s := &Source{}
	for _, name := range LayerNames {
		l, err := readLayer(name, filepath.Join(dir, name+".geojson"))
		if err != nil {
			return nil, err
		}
		s.Layers = append(s.Layers, l)
	}
	county := s.Layers[0]
	if len(county.Features) == 0 || len(county.Features[0].Code) < 6 {
		return nil, fmt.Errorf("%w: %s: county layer has no 6-digit code", ErrSource, dir)
	}
	s.Prefix = county.Features[0].Code[:6]
	s.Bound = county.Features[0].Geom.Bound()
	for _, f := range county.Features[1:] {
		s.Bound = s.Bound.Union(f.Geom.Bound())
	}
	return s, nil
}

func readLayer(name, path string) (Layer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Layer{}, fmt.Errorf("%w: %w", ErrSource, err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return Layer{}, fmt.Errorf("%w: %s: %w", ErrSource, path, err)
	}
	l := Layer{Name: name, Features: make([]Feature, 0, len(fc.Features))}
	for i, f := range fc.Features {
		var sf Feature
		sf.Code = propString(f.Properties, "code")
		if sf.Code == "" {
			return Layer{}, fmt.Errorf("%w: %s: feature %d has no code", ErrSource, path, i)
		}
		sf.Name = propString(f.Properties, "name")
		sf.Level = propString(f.Properties, "level")
		sf.Parent = propString(f.Properties, "parent")
		nj, _ := json.Marshal(sf.Name)
		sf.nameJSON = nj[:len(nj)-1]
		sf.Extra = map[string]any{}
		var keys []string
		for k, v := range f.Properties {
			switch k {
			case "code", "name", "level", "parent":
				continue
			}
			sf.Extra[k] = v
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			kb, _ := json.Marshal(k)
			vb, err := json.Marshal(f.Properties[k])
			if err != nil {
				return Layer{}, fmt.Errorf("%w: %s: feature %s: property %s: %w", ErrSource, path, sf.Code, k, err)
			}
			sf.extra = append(append(append(append(sf.extra, ','), kb...), ':'), vb...)
		}
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			sf.Geom, sf.poly = orb.MultiPolygon{g}, true
		case orb.MultiPolygon:
			sf.Geom = g
		default:
			return Layer{}, fmt.Errorf("%w: %s: feature %s: geometry %T", ErrSource, path, sf.Code, f.Geometry)
		}
		l.Features = append(l.Features, sf)
	}
	return l, nil
}

func propString(p geojson.Properties, k string) string {
	switch v := p[k].(type) {
	case string:
		return v
	case float64:
		return strings.TrimSuffix(fmt.Sprintf("%.0f", v), ".")
	}
	return ""
}
