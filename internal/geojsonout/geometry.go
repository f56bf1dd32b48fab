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
	if g == nil {
		return append(b, "null"...), nil
	}
	b = append(b, `{"type":"`...)
	b = append(b, g.GeoJSONType()...)
	b = append(b, `","coordinates":`...)
	switch g := g.(type) {
	case orb.Point:
		b = appendPoint(b, g, prec)
	case orb.MultiPoint:
		b = appendPoints(b, g, prec)
	case orb.LineString:
		b = appendPoints(b, g, prec)
	case orb.MultiLineString:
		b = appendArray(b, g, prec, appendPoints[orb.LineString])
	case orb.Polygon:
		b = appendPolygon(b, g, prec)
	case orb.MultiPolygon:
		b = appendArray(b, g, prec, appendPolygon)
	default:
		return b, fmt.Errorf("geometry %T not supported", g)
	}
	return append(b, '}'), nil
}

// appendArray appends es as a JSON array, each element by appendE.
func appendArray[E any](b []byte, es []E, prec int, appendE func([]byte, E, int) []byte) []byte {
	b = append(b, '[')
	for i, e := range es {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendE(b, e, prec)
	}
	return append(b, ']')
}

// appendPolygon appends the rings of p as a JSON array.
func appendPolygon(b []byte, p orb.Polygon, prec int) []byte {
	return appendArray(b, p, prec, appendPoints[orb.Ring])
}

// appendPoints appends ps as a JSON array of positions.
func appendPoints[S ~[]orb.Point](b []byte, ps S, prec int) []byte {
	return appendArray(b, ps, prec, appendPoint)
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
