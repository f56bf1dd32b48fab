package importer

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

// system is a coordinate system of input positions, parsed from
// Options.CRS, a GeoJSON "crs" member or a .prj file.
type system struct {
	name string       // as written in messages: "EPSG:4528", "gcj02"
	web  crs.CRS      // the lon/lat system (WGS84, CGCS2000, GCJ-02, BD-09)
	gk   *gaussKruger // non-nil for a projected Gauss–Krüger system
}

// wgs84 is the model's system: no conversion.
var wgs84 = system{name: string(crs.WGS84), web: crs.WGS84}

// parseSystem parses a coordinate system name: wgs84, cgcs2000, gcj02,
// bd09, EPSG:4326, EPSG:4490, a CGCS2000 Gauss–Krüger EPSG code
// (EPSG:4491–4554), or the URN and URL forms of an EPSG code
// ("urn:ogc:def:crs:EPSG::4528", "http://www.opengis.net/def/crs/EPSG/0/4528",
// "urn:ogc:def:crs:OGC:1.3:CRS84"). The empty string is WGS84.
func parseSystem(name string) (system, error) {
	s := strings.ToLower(strings.TrimSpace(name))
	switch s {
	case "", "crs84", "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "http://www.opengis.net/def/crs/ogc/1.3/crs84":
		return wgs84, nil
	}
	if code, ok := epsgCode(s); ok {
		switch code {
		case 4326:
			return system{name: "EPSG:4326", web: crs.WGS84}, nil
		case 4490:
			return system{name: "EPSG:4490", web: crs.CGCS2000}, nil
		}
		if g, ok := gaussKrugerEPSG(code); ok {
			return system{name: fmt.Sprintf("EPSG:%d", code), web: crs.CGCS2000, gk: g}, nil
		}
		return system{}, fmt.Errorf("unsupported coordinate system EPSG:%d (want EPSG:4326, EPSG:4490, a CGCS2000 Gauss–Krüger zone EPSG:4491–4554, gcj02 or bd09)", code)
	}
	c, err := crs.Parse(s)
	if err != nil {
		return system{}, fmt.Errorf("unknown coordinate system %q (want wgs84, cgcs2000, gcj02, bd09, EPSG:4326, EPSG:4490 or a CGCS2000 Gauss–Krüger zone EPSG:4491–4554)", name)
	}
	return system{name: string(c), web: c}, nil
}

var epsgForms = regexp.MustCompile(`^(?:epsg:{1,2}|urn:ogc:def:crs:epsg:[0-9.]*:|https?://www\.opengis\.net/def/crs/epsg/[0-9.]+/)?([0-9]{4,5})$`)

// epsgCode extracts the number of an EPSG name in any of its usual forms.
func epsgCode(s string) (int, bool) {
	m := epsgForms.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// identity reports whether positions of s need no conversion.
func (s system) identity() bool { return s.gk == nil && s.web.IsWGS84() }

// converter returns the function that takes positions of s to WGS84, or
// nil when no conversion is needed.
func (s system) converter() func(orb.Point) orb.Point {
	switch {
	case s.gk != nil:
		return s.gk.Inverse
	case s.web.IsWGS84():
		return nil
	}
	return s.web.ToWGS84
}

// transformMP applies fn to every position of mp in place.
func transformMP(mp orb.MultiPolygon, fn func(orb.Point) orb.Point) {
	for _, p := range mp {
		for _, r := range p {
			for i := range r {
				r[i] = fn(r[i])
			}
		}
	}
}

// prjNames maps the names of projected systems in .prj files (ESRI WKT,
// as ArcGIS and QGIS write them, and OGC WKT names) to EPSG codes.
var prjNames = []struct {
	re   *regexp.Regexp
	code func(n int) int // n is the number matched
}{
	{regexp.MustCompile(`(?i)CGCS[ _]?2000[ _/]*3[ _-]degree[ _]G(?:auss)?[ _-]?K(?:ruger)?[ _]zone[ _]([0-9]+)`), func(z int) int { return 4513 + z - 25 }},
	{regexp.MustCompile(`(?i)CGCS[ _]?2000[ _/]*3[ _-]degree[ _]G(?:auss)?[ _-]?K(?:ruger)?[ _]CM[ _]([0-9]+)E`), func(cm int) int { return 4534 + cm/3 - 25 }},
	{regexp.MustCompile(`(?i)CGCS[ _]?2000[ _/]*G(?:auss)?[ _-]?K(?:ruger)?[ _]zone[ _]([0-9]+)`), func(z int) int { return 4491 + z - 13 }},
	{regexp.MustCompile(`(?i)CGCS[ _]?2000[ _/]*G(?:auss)?[ _-]?K(?:ruger)?[ _]CM[ _]([0-9]+)E`), func(cm int) int { return 4502 + (cm+3)/6 - 13 }},
}

var (
	prjAuthority = regexp.MustCompile(`AUTHORITY\["EPSG",\s*"?([0-9]+)"?\]\s*\]\s*$`)
	prjID        = regexp.MustCompile(`ID\["EPSG",\s*([0-9]+)\]\s*\]\s*$`)
	prjGeog      = regexp.MustCompile(`(?i)^\s*GEOG(?:CS|CRS)\[\s*"([^"]*)"`)
)

// parsePrj names the system of a .prj text (WKT1, ESRI WKT or WKT2).
func parsePrj(text string) (system, error) {
	text = strings.TrimSpace(text)
	for _, re := range []*regexp.Regexp{prjAuthority, prjID} {
		if m := re.FindStringSubmatch(text); m != nil {
			return parseSystem("EPSG:" + m[1])
		}
	}
	for _, pn := range prjNames {
		if m := pn.re.FindStringSubmatch(text); m != nil {
			n, _ := strconv.Atoi(m[1])
			code := pn.code(n)
			if _, ok := gaussKrugerEPSG(code); ok {
				return parseSystem(fmt.Sprintf("EPSG:%d", code))
			}
		}
	}
	if m := prjGeog.FindStringSubmatch(text); m != nil {
		name := strings.ToLower(m[1])
		switch {
		case strings.Contains(name, "2000") || strings.Contains(name, "cgcs"):
			return parseSystem("EPSG:4490")
		case strings.Contains(name, "wgs") && strings.Contains(name, "84"):
			return parseSystem("EPSG:4326")
		}
	}
	head := text
	if len(head) > 80 {
		head = head[:80] + "…"
	}
	return system{}, fmt.Errorf("coordinate system of the .prj not supported: %s (supported: WGS84, CGCS2000 lon/lat and the CGCS2000 Gauss–Krüger zones EPSG:4491–4554)", head)
}

// prjBeside returns the text of the .prj beside path (same name, extension
// .prj), or "" when there is none.
func prjBeside(path string) (string, string) {
	base := path
	if i := strings.LastIndex(base, "."); i > strings.LastIndexAny(base, `/\`) {
		base = base[:i]
	}
	for _, ext := range []string{".prj", ".PRJ"} {
		if b, err := os.ReadFile(base + ext); err == nil {
			return base + ext, string(b)
		}
	}
	return "", ""
}
