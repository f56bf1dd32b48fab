package shard

import (
	"fmt"
	"io"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// maxOutlineBytes bounds the outline a shard may send: a province's
// outline is a few MB (Jiangyin's county is 48 kB).
const maxOutlineBytes = 256 << 20

// ParseOutline reads a GeoJSON FeatureCollection of Polygons and
// MultiPolygons, (lon, lat) WGS84 — a shard's GET /api/v1/outline — as an
// Outline. A feature of another geometry, a ring of fewer than 4
// positions, a coordinate that is not finite or out of range, or an empty
// collection is an error naming the feature.
func ParseOutline(r io.Reader) (Outline, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxOutlineBytes+1))
	if err != nil {
		return nil, fmt.Errorf("outline: %w", err)
	}
	if len(data) > maxOutlineBytes {
		return nil, fmt.Errorf("outline: larger than %d bytes", maxOutlineBytes)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, fmt.Errorf("outline: %w", err)
	}
	if len(fc.Features) == 0 {
		return nil, fmt.Errorf("outline: no features")
	}
	o := make(Outline, 0, len(fc.Features))
	for i, f := range fc.Features {
		mp, err := multiPolygon(f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("outline: feature %d (id %v): %w", i, f.ID, err)
		}
		o = append(o, mp)
	}
	return o, nil
}

// multiPolygon returns g as a checked MultiPolygon.
func multiPolygon(g orb.Geometry) (orb.MultiPolygon, error) {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	case nil:
		return nil, fmt.Errorf("geometry: missing")
	default:
		return nil, fmt.Errorf("geometry: %s, want Polygon or MultiPolygon", g.GeoJSONType())
	}
	if len(mp) == 0 {
		return nil, fmt.Errorf("geometry: no polygons")
	}
	for i, poly := range mp {
		if len(poly) == 0 {
			return nil, fmt.Errorf("polygon %d: no rings", i)
		}
		for j, r := range poly {
			if len(r) < 4 {
				return nil, fmt.Errorf("polygon %d ring %d: %d positions, want at least 4", i, j, len(r))
			}
			for k, p := range r {
				if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
					return nil, fmt.Errorf("polygon %d ring %d position %d: (%v, %v) is not a (lon, lat) in degrees", i, j, k, p[0], p[1])
				}
			}
		}
	}
	return mp, nil
}
