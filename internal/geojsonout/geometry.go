package geojsonout

import (
	"fmt"
	"strconv"

	"github.com/paulmach/orb"
)

// Shortest is the precision that writes each coordinate with the fewest
// digits that read back as the same float64.
const Shortest = -1

// Round returns the float64 that v written with decimals decimals reads back
// as (v rounded to nearest, as strconv and fmt round). Written with
// Shortest it gives the same text as v with decimals decimals, trailing
// zeros dropped.
func Round(v float64, decimals int) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', decimals, 64), 64)
	return r
}

// appendGeometry appends g as a GeoJSON geometry object.
func appendGeometry(b []byte, g orb.Geometry, prec int) ([]byte, error) {
	switch g := g.(type) {
	case nil:
		return append(b, "null"...), nil
	case orb.Point:
		b = append(b, `{"type":"Point","coordinates":`...)
		b = appendPoint(b, g, prec)
	case orb.MultiPoint:
		b = append(b, `{"type":"MultiPoint","coordinates":`...)
		b = appendPoints(b, g, prec)
	case orb.LineString:
		b = append(b, `{"type":"LineString","coordinates":`...)
		b = appendPoints(b, g, prec)
	case orb.MultiLineString:
		b = append(b, `{"type":"MultiLineString","coordinates":[`...)
		for i, l := range g {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendPoints(b, l, prec)
		}
		b = append(b, ']')
	case orb.Polygon:
		b = append(b, `{"type":"Polygon","coordinates":`...)
		b = appendPolygon(b, g, prec)
	case orb.MultiPolygon:
		b = append(b, `{"type":"MultiPolygon","coordinates":[`...)
		for i, p := range g {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendPolygon(b, p, prec)
		}
		b = append(b, ']')
	default:
		return b, fmt.Errorf("geometry %T not supported", g)
	}
	return append(b, '}'), nil
}

// appendPolygon appends the rings of p as a JSON array.
func appendPolygon(b []byte, p orb.Polygon, prec int) []byte {
	b = append(b, '[')
	for i, r := range p {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendPoints(b, r, prec)
	}
	return append(b, ']')
}

// appendPoints appends ps as a JSON array of positions.
func appendPoints(b []byte, ps []orb.Point, prec int) []byte {
	b = append(b, '[')
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendPoint(b, p, prec)
	}
	return append(b, ']')
}

// appendPoint appends p as a position [lon,lat].
func appendPoint(b []byte, p orb.Point, prec int) []byte {
	b = append(b, '[')
	b = appendCoord(b, p[0], prec)
	b = append(b, ',')
	b = appendCoord(b, p[1], prec)
	return append(b, ']')
}

// appendCoord appends v with prec decimals, trailing zeros and a trailing
// point dropped, or with Shortest digits; "-0" is written "0".
func appendCoord(b []byte, v float64, prec int) []byte {
	n := len(b)
	b = strconv.AppendFloat(b, v, 'f', prec, 64)
	if prec > 0 {
		for b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
		if b[len(b)-1] == '.' {
			b = b[:len(b)-1]
		}
	}
	if len(b)-n == 2 && b[n] == '-' && b[n+1] == '0' {
		b = append(b[:n], '0')
	}
	return b
}
