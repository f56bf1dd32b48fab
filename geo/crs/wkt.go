package crs

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// wktNames maps the names of projected systems in .prj files (ESRI WKT,
// as ArcGIS and QGIS write them, and OGC WKT names) to EPSG codes.
var wktNames = []struct {
	re   *regexp.Regexp
	code func(n int) int // n is the number matched
}{
	{regexp.MustCompile(`(?i)CGCS[ _]?2000[ _/]*3[ _-]degree[ _]G(?:auss)?[ _-]?K(?:ruger)?[ _]zone[ _]([0-9]+)`), func(z int) int { return 4513 + z - 25 }},
	{regexp.MustCompile(`(?i)CGCS[ _]?2000[ _/]*3[ _-]degree[ _]G(?:auss)?[ _-]?K(?:ruger)?[ _]CM[ _]([0-9]+)E`), func(cm int) int { return 4534 + cm/3 - 25 }},
	{regexp.MustCompile(`(?i)CGCS[ _]?2000[ _/]*G(?:auss)?[ _-]?K(?:ruger)?[ _]zone[ _]([0-9]+)`), func(z int) int { return 4491 + z - 13 }},
	{regexp.MustCompile(`(?i)CGCS[ _]?2000[ _/]*G(?:auss)?[ _-]?K(?:ruger)?[ _]CM[ _]([0-9]+)E`), func(cm int) int { return 4502 + (cm+3)/6 - 13 }},
}

var (
	wktAuthority = regexp.MustCompile(`AUTHORITY\["EPSG",\s*"?([0-9]+)"?\]\s*\]\s*$`)
	wktID        = regexp.MustCompile(`ID\["EPSG",\s*([0-9]+)\]\s*\]\s*$`)
	wktGeog      = regexp.MustCompile(`(?i)^\s*GEOG(?:CS|CRS)\[\s*"([^"]*)"`)
)

// ParseWKT names the system of WKT text (WKT1, ESRI WKT or WKT2), as a .prj
// file beside a layer holds it: by the EPSG authority of the outermost
// element, else by the name of a CGCS2000 Gauss–Krüger projection, else by
// the name of a geographic system (CGCS2000 or WGS84). The error, for any
// other text, wraps ErrUnknown.
func ParseWKT(text string) (System, error) {
	text = strings.TrimSpace(text)
	for _, re := range []*regexp.Regexp{wktAuthority, wktID} {
		if m := re.FindStringSubmatch(text); m != nil {
			return ParseSystem("EPSG:" + m[1])
		}
	}
	for _, pn := range wktNames {
		if m := pn.re.FindStringSubmatch(text); m != nil {
			n, _ := strconv.Atoi(m[1])
			code := pn.code(n)
			if _, ok := GaussKrugerEPSG(code); ok {
				return ParseSystem(fmt.Sprintf("EPSG:%d", code))
			}
		}
	}
	if m := wktGeog.FindStringSubmatch(text); m != nil {
		name := strings.ToLower(m[1])
		switch {
		case strings.Contains(name, "2000") || strings.Contains(name, "cgcs"):
			return ParseSystem("EPSG:4490")
		case strings.Contains(name, "wgs") && strings.Contains(name, "84"):
			return ParseSystem("EPSG:4326")
		}
	}
	head := text
	if len(head) > 80 {
		head = head[:80] + "…"
	}
	return System{}, fmt.Errorf("%w of the .prj: %s (supported: WGS84, CGCS2000 lon/lat and the CGCS2000 Gauss–Krüger zones EPSG:%d–%d)",
		ErrUnknown, head, GaussKrugerFirst, GaussKrugerLast)
}
