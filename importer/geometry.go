package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

// coordClass says what a feature's positions look like as a whole.
type coordClass uint8

const (
	classOK        coordClass = iota // lon/lat in range
	classInvalid                     // some positions malformed, non-finite or out of range
	classProjected                   // every position looks like Gauss–Krüger metres
	classSwapped                     // every position looks like [lat, lon]
	classRejected                    // no usable geometry at all
)

type rawGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// decodeGeometry decodes raw into f.geom, reporting every defect found. On
// any defect f.geom stays nil.
func decodeGeometry(fd *fileData, f *feature, raw json.RawMessage, opts Options) {
	at := func() string { return where(fd.src.Path, f.index, f.code) }
	bad := func(kind, msg string, l *[2]float64) {
		fd.add(Problem{Kind: kind, Feature: f.index, Code: f.code, Message: at() + ": " + msg + fmtLoc(l), Location: l})
	}
	f.class = classRejected
	if len(raw) == 0 || string(raw) == "null" {
		bad(KindGeometryType, "geometry is null, expected Polygon/MultiPolygon", nil)
		return
	}
	var g rawGeometry
	if err := json.Unmarshal(raw, &g); err != nil {
		bad(KindGeometryType, "geometry is not a GeoJSON geometry object", nil)
		return
	}
	var polys [][][][]float64
	switch g.Type {
	case "Polygon":
		var p [][][]float64
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			bad(KindCoordinateInvalid, "Polygon coordinates malformed: "+coordinateError(err), nil)
			return
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			bad(KindCoordinateInvalid, "MultiPolygon coordinates malformed: "+coordinateError(err), nil)
			return
		}
	default:
		t := g.Type
		if t == "" {
			t = "(none)"
		}
		if p, ok := firstPair(g.Coordinates); ok {
			f.sample = p // a place for the report's map
		}
		bad(KindGeometryType, fmt.Sprintf("geometry type %s, expected Polygon/MultiPolygon", t), nil)
		return
	}
	if len(polys) == 0 {
		bad(KindGeometryType, fmt.Sprintf("empty %s", g.Type), nil)
		return
	}
	if l := opts.Limits; l.MaxVertices >= 0 {
		if n := positions(polys); n > l.MaxVertices {
			fd.add(tooManyVertices(fd, f, n, l))
			return
		}
	}
	mp := make(orb.MultiPolygon, 0, len(polys))
	n, nBad, nGK, nGKNE, nSwap := 0, 0, 0, 0, 0
	var firstBad *[2]float64
	firstBadWhat := ""
	ok := true
	for pi, p := range polys {
		if len(p) == 0 {
			bad(KindGeometryType, fmt.Sprintf("polygon %d has no rings", pi+1), nil)
			ok = false
			continue
		}
		poly := make(orb.Polygon, 0, len(p))
		for ri, r := range p {
			ring := make(orb.Ring, 0, len(r))
			for vi, pos := range r {
				if len(pos) < 2 {
					bad(KindCoordinateInvalid, fmt.Sprintf("%s position %d has %d number(s), expected [lon, lat]", ringName(len(polys), pi, ri), vi+1, len(pos)), nil)
					ok = false
					continue
				}
				x, y := pos[0], pos[1]
				n++
				if f.sample == (orb.Point{}) {
					f.sample = orb.Point{x, y}
				}
				if looksGK(y, x) && !looksGK(x, y) {
					nGKNE++ // northing first, EPSG's axis order for these systems
				}
				if looksGK(x, y) {
					nGK++
				}
				if looksSwapped(x, y) {
					nSwap++
				}
				if !finite(x) || !finite(y) || x < -180 || x > 180 || y < -90 || y > 90 {
					nBad++
					if firstBad == nil {
						firstBad = &[2]float64{x, y}
						firstBadWhat = fmt.Sprintf("%s position %d", ringName(len(polys), pi, ri), vi+1)
					}
				}
				ring = append(ring, orb.Point{x, y})
			}
			if opts.Fix {
				ring = fixRing(ring, func(kind, msg string, l *[2]float64) {
					fd.add(Problem{Kind: kind, Severity: SeverityFixed, Feature: f.index, Code: f.code,
						Message: at() + ": " + ringName(len(polys), pi, ri) + " " + msg + fmtLoc(l), Location: l})
				})
			}
			if len(ring) < 4 {
				bad(KindRingTooShort, fmt.Sprintf("%s has %d positions, a linear ring needs >= 4 (RFC 7946 3.1.6)", ringName(len(polys), pi, ri), len(ring)), firstPos(ring))
				ok = false
			}
			if len(ring) >= 2 && ring[0] != ring[len(ring)-1] {
				bad(KindRingUnclosed, fmt.Sprintf("%s not closed: last position %v differs from first %v (RFC 7946 3.1.6)", ringName(len(polys), pi, ri), ring[len(ring)-1], ring[0]), firstPos(ring))
				ok = false
			}
			poly = append(poly, ring)
		}
		mp = append(mp, poly)
	}
	switch {
	case n > 0 && nGK == n:
		// Kept until the file's declaration is known (applyDeclaration).
		f.class = classProjected
		if ok {
			f.geom = mp
		}
		return
	case n > 0 && nGKNE == n:
		// Gauss–Krüger written [northing, easting]: read as easting first,
		// and say so; the declaration decides the rest as for easting-first
		// files.
		for _, p := range mp {
			for _, r := range p {
				for i := range r {
					r[i][0], r[i][1] = r[i][1], r[i][0]
				}
			}
		}
		f.sample[0], f.sample[1] = f.sample[1], f.sample[0]
		f.class = classProjected
		if ok {
			f.geom = mp
		}
		fd.add(Problem{Kind: KindProjected, Severity: SeverityWarning, Feature: f.index, Code: f.code,
			Message: at() + ": positions are written [northing, easting] (the EPSG axis order of Gauss–Krüger systems); read as [easting, northing]"})
		return
	case n > 0 && nSwap == n:
		f.class = classSwapped
		return
	case nBad > 0:
		f.class = classInvalid
		bad(KindCoordinateInvalid, fmt.Sprintf("%d position(s) not finite lon/lat in range (lon -180..180, lat -90..90), first %s = [%g, %g]", nBad, firstBadWhat, firstBad[0], firstBad[1]), nil)
		return
	}
	if !ok || n == 0 {
		return
	}
	f.class = classOK
	f.geom = mp
}

func firstPos(r orb.Ring) *[2]float64 {
	if len(r) == 0 {
		return nil
	}
	return loc(r[0][0], r[0][1])
}

func ringName(npolys, pi, ri int) string {
	s := "outer ring"
	if ri > 0 {
		s = fmt.Sprintf("hole %d", ri)
	}
	if npolys > 1 {
		s = fmt.Sprintf("polygon %d %s", pi+1, s)
	}
	return s
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// looksGK reports whether (x, y) looks like Gauss–Krüger (or UTM) metres in
// the northern hemisphere: easting with or without a zone prefix, northing
// of a place between the equator and 60°N.
func looksGK(x, y float64) bool {
	if !(y > 1e5 && y < 7e6) {
		return false
	}
	if x >= 1e7 && x < 1e8 { // zone prefix: ZZ500000 ± 400 km
		e := math.Mod(x, 1e6)
		return e > 1e5 && e < 9e5
	}
	return x > 1e5 && x < 9e5 // no prefix: false easting 500000
}

// looksSwapped reports whether (x, y) looks like a position written as
// [lat, lon]: the second number is out of latitude range but a valid
// longitude while the first is a valid latitude, or the pair falls in
// China's latitude (18..54) and longitude (73..136) ranges the wrong way
// round.
func looksSwapped(x, y float64) bool {
	if math.Abs(x) <= 90 && math.Abs(y) > 90 && math.Abs(y) <= 180 {
		return true
	}
	return x >= 18 && x <= 54 && y >= 73 && y <= 136
}

// fileHeuristics reports whole-file coordinate problems once per file.
func fileHeuristics(fd *fileData) {
	var proj, swap []*feature
	for _, f := range fd.features {
		switch f.class {
		case classProjected:
			proj = append(proj, f)
		case classSwapped:
			swap = append(swap, f)
		}
	}
	total := len(fd.features)
	if len(proj) > 0 && fd.decl.sys.GK == nil {
		f := proj[0]
		declared := ""
		if fd.decl.from != "" {
			declared = fmt.Sprintf(" (%s says %s)", fd.decl.from, fd.decl.sys.Name)
		}
		fd.add(Problem{Kind: KindProjected, Feature: f.index, Code: f.code,
			Message: fmt.Sprintf("%s: coordinates are not lon/lat degrees (|x| > 180) in %d of %d feature(s), e.g. [%.3f, %.3f]%s; %s. %s",
				where(fd.src.Path, f.index, f.code), len(proj), total, f.sample[0], f.sample[1], declared, guessEPSG(f.sample[0]), howToDeclare(f.sample[0]))})
	}
	if len(swap) > 0 {
		f := swap[0]
		fd.add(Problem{Kind: KindLatLonSwapped, Feature: f.index, Code: f.code,
			Message: fmt.Sprintf("%s: positions look like [lat, lon] in %d of %d feature(s) (first position [%.7f, %.7f]: x in latitude range, y in longitude range); GeoJSON wants [lon, lat]",
				where(fd.src.Path, f.index, f.code), len(swap), total, f.sample[0], f.sample[1])})
	}
}

// guessEPSG names the projected system an easting x most likely belongs to.
func guessEPSG(x float64) string {
	if x >= 1e7 {
		zone := int(x / 1e6)
		switch {
		case zone >= 25 && zone <= 45:
			return fmt.Sprintf("looks like EPSG:%d (CGCS2000 3-degree Gauss–Krüger zone %d, central meridian %d°E, false easting %d500000)", 4513+zone-25, zone, zone*3, zone)
		case zone >= 13 && zone <= 23:
			return fmt.Sprintf("looks like EPSG:%d (CGCS2000 6-degree Gauss–Krüger zone %d, central meridian %d°E, false easting %d500000)", 4491+zone-13, zone, zone*6-3, zone)
		}
		return fmt.Sprintf("looks like Gauss–Krüger metres with zone prefix %d", zone)
	}
	return "looks like Gauss–Krüger or UTM metres without zone prefix (false easting 500000, e.g. CGCS2000 EPSG:4534–4554 or UTM EPSG:32649–32651)"
}

// howToDeclare tells how to declare the projected system an easting x
// most likely belongs to.
func howToDeclare(x float64) string {
	code := "EPSG:NNNN"
	if c := crs.EPSGOfEasting(x); c != 0 {
		code = fmt.Sprintf("EPSG:%d", c)
	}
	return fmt.Sprintf("Declare it and it is converted: gridmap import --crs %s, or a member \"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"urn:ogc:def:crs:%s\"}} in the FeatureCollection, or the .prj your GIS wrote beside the file (same name, .prj); or reproject to lon/lat (ogr2ogr -t_srs EPSG:4490)",
		code, strings.Replace(code, ":", "::", 1))
}

// firstPair returns the first [x, y] of a coordinates array of any depth.
func firstPair(raw json.RawMessage) (orb.Point, bool) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return orb.Point{}, false
	}
	for depth := 0; depth < 8; depth++ {
		a, ok := v.([]any)
		if !ok || len(a) == 0 {
			return orb.Point{}, false
		}
		x, okx := a[0].(float64)
		if okx && len(a) >= 2 {
			y, oky := a[1].(float64)
			return orb.Point{x, y}, oky
		}
		v = a[0]
	}
	return orb.Point{}, false
}

// fixRing drops repeated consecutive positions and closes an unclosed ring
// (when it has at least three distinct positions), calling report once per
// kind of change. It returns the repaired ring.
func fixRing(ring orb.Ring, report func(kind, msg string, at *[2]float64)) orb.Ring {
	if len(ring) == 0 {
		return ring
	}
	out := ring[:1]
	dropped := 0
	var first *[2]float64
	for _, p := range ring[1:] {
		if p == out[len(out)-1] {
			dropped++
			if first == nil {
				first = loc(p[0], p[1])
			}
			continue
		}
		out = append(out, p)
	}
	if dropped > 0 {
		report(KindRepeatedPoint, fmt.Sprintf("had %d repeated consecutive position(s): dropped", dropped), first)
	}
	if len(out) >= 3 && out[0] != out[len(out)-1] {
		last := out[len(out)-1]
		out = append(out, out[0])
		report(KindRingUnclosed, fmt.Sprintf("was not closed (last position [%g, %g]): closed by repeating the first position", last[0], last[1]), loc(out[0][0], out[0][1]))
	}
	return out
}

// coordinateError says in the user's terms why coordinates did not decode:
// encoding/json speaks of Go types.
func coordinateError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		switch {
		case te.Value == "number" || strings.HasPrefix(te.Value, "number "):
			return fmt.Sprintf("%s is out of the range of double-precision numbers (at byte %d of the coordinates)", strings.TrimPrefix(te.Value, "number "), te.Offset)
		case te.Type != nil && te.Type.Kind() == reflect.Float64:
			return fmt.Sprintf("a %s where a number was expected (at byte %d of the coordinates): positions are arrays of numbers [lon, lat]", te.Value, te.Offset)
		default:
			return fmt.Sprintf("a %s where an array was expected (at byte %d of the coordinates): Polygon coordinates are arrays of rings of [lon, lat] positions", te.Value, te.Offset)
		}
	}
	return err.Error()
}
