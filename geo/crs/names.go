package crs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Choice is a coordinate system a person may pick for a point: its ID, as
// Parse, ParseSystem and a lookup's ?crs= take it, and its Label for people.
type Choice struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// geographic is the one list of the geographic systems, in display order:
// each with its label, its EPSG code (0: none) and the other names (lower
// case) it is known by. EPSG codes in all their forms and the Gauss–Krüger
// zones are read by epsgCode and parseEPSG.
var geographic = [...]struct {
	Choice
	crs     CRS
	epsg    int
	aliases []string
}{
	{Choice{"wgs84", "WGS84"}, WGS84, 4326, []string{"crs84", "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "http://www.opengis.net/def/crs/ogc/1.3/crs84"}},
	{Choice{"gcj02", "GCJ-02（高德/腾讯）"}, GCJ02, 0, []string{"gcj-02"}},
	{Choice{"bd09", "BD-09（百度）"}, BD09, 0, []string{"bd-09"}},
	{Choice{"cgcs2000", "CGCS2000（国家2000）"}, CGCS2000, 4490, nil},
}

// Choices returns the systems a person may pick for a point lookup, in
// display order: every geographic system. The caller owns the slice.
func Choices() []Choice {
	out := make([]Choice, len(geographic))
	for i, g := range geographic {
		out[i] = g.Choice
	}
	return out
}

// GeographicNames spells the names Parse accepts, for help texts
// and messages: "wgs84, gcj02, bd09, cgcs2000, EPSG:4326 or EPSG:4490".
func GeographicNames() string { return joinOr(geographicNames()) }

// Names spells every name ParseSystem accepts, for help texts and messages.
func Names() string {
	gk := fmt.Sprintf("a CGCS2000 Gauss–Krüger zone EPSG:%d…%d", GaussKrugerFirst, GaussKrugerLast)
	return joinOr(append(geographicNames(), gk)) +
		"; EPSG codes also as urn:ogc:def:crs:EPSG::NNNN or http://www.opengis.net/def/crs/EPSG/0/NNNN"
}

// geographicNames lists the ids of the geographic systems, then their
// EPSG codes.
func geographicNames() []string {
	var names []string
	for _, g := range geographic {
		names = append(names, g.ID)
	}
	for _, g := range geographic {
		if g.epsg != 0 {
			names = append(names, fmt.Sprintf("EPSG:%d", g.epsg))
		}
	}
	return names
}

// joinOr joins two or more names as "a, b or c".
func joinOr(names []string) string {
	last := len(names) - 1
	return strings.Join(names[:last], ", ") + " or " + names[last]
}

// ParseSystem reads a coordinate system name, case-insensitive, surrounding
// space ignored: a geographic system by its id or other name (wgs84, crs84
// and its URN and URL forms, gcj02, gcj-02, bd09, bd-09, cgcs2000), or an
// EPSG code (4326, 4490, or a CGCS2000 Gauss–Krüger zone 4491…4554) written
// NNNN, EPSG:NNNN, EPSG::NNNN, urn:ogc:def:crs:EPSG::NNNN or
// http://www.opengis.net/def/crs/EPSG/0/NNNN. The empty string is WGS84.
// The error, for any other name, wraps ErrUnknown and lists Names. A
// geographic name allocates nothing.
func ParseSystem(name string) (System, error) {
	s := strings.ToLower(strings.TrimSpace(name))
	if s == "" {
		return WGS84.System(), nil
	}
	for _, g := range geographic {
		if s == g.ID || slices.Contains(g.aliases, s) {
			return g.crs.System(), nil
		}
	}
	if code, ok := epsgCode(s); ok {
		return parseEPSG(code)
	}
	return System{}, fmt.Errorf("%w %q (want %s)", ErrUnknown, name, Names())
}

// Parse is ParseSystem for positions given as (lon, lat) degrees, such as a
// point lookup's: it returns the geographic system of the name, and refuses
// a projected system (EPSG:4491…4554) with an error wrapping ErrProjected
// that says so. A geographic name allocates nothing.
func Parse(name string) (CRS, error) {
	s, err := ParseSystem(name)
	if err != nil {
		return "", err
	}
	if s.GK != nil {
		return "", fmt.Errorf("%s is a %w, %s, easting and northing in metres; a point is given as (lon, lat) degrees in %s",
			s.Name, ErrProjected, s.GK.Name, GeographicNames())
	}
	return s.Geographic, nil
}

// parseEPSG returns the system of an EPSG code.
func parseEPSG(code int) (System, error) {
	switch code {
	case 4326:
		return System{Name: "EPSG:4326", Geographic: WGS84}, nil
	case 4490:
		return System{Name: "EPSG:4490", Geographic: CGCS2000}, nil
	}
	if g, ok := GaussKrugerEPSG(code); ok {
		return System{Name: fmt.Sprintf("EPSG:%d", code), Geographic: CGCS2000, GK: g}, nil
	}
	return System{}, fmt.Errorf("%w EPSG:%d (want %s)", ErrUnknown, code, Names())
}

// The prefixes of an EPSG code's URN and URL forms, lower case; each is
// followed by a version ([0-9.]*, at least one character in a URL) and a
// separator.
const (
	urnEPSG      = "urn:ogc:def:crs:epsg:"
	urlEPSG      = "://www.opengis.net/def/crs/epsg/"
	digitsAndDot = "0123456789."
)

// epsgCode extracts the number (four or five digits) of an EPSG name,
// lower case, in any of its usual forms: NNNN, epsg:NNNN, epsg::NNNN,
// urn:ogc:def:crs:epsg:[version]:NNNN, http(s)://www.opengis.net/def/crs/
// epsg/version/NNNN. It reads by hand what the regular expression
// ^(?:epsg:{1,2}|urn:ogc:def:crs:epsg:[0-9.]*:|https?://www\.opengis\.net/def/crs/epsg/[0-9.]+/)?([0-9]{4,5})$
// matches (the fuzz test holds the two to each other), so that a lookup's
// ?crs=EPSG:4326 costs no regular expression.
func epsgCode(s string) (int, bool) {
	rest := s
	switch {
	case strings.HasPrefix(s, "epsg:"):
		rest = strings.TrimPrefix(s[len("epsg:"):], ":")
	case strings.HasPrefix(s, urnEPSG):
		version, code, ok := strings.Cut(s[len(urnEPSG):], ":")
		if !ok || !onlyOf(version, digitsAndDot) {
			return 0, false
		}
		rest = code
	case strings.HasPrefix(s, "http"):
		after, ok := strings.CutPrefix(strings.TrimPrefix(s[len("http"):], "s"), urlEPSG)
		if !ok {
			return 0, false
		}
		version, code, ok := strings.Cut(after, "/")
		if !ok || version == "" || !onlyOf(version, digitsAndDot) {
			return 0, false
		}
		rest = code
	}
	if len(rest) < 4 || len(rest) > 5 || !onlyOf(rest, digitsAndDot[:10]) {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil
}

// onlyOf reports whether every byte of s is one of set.
func onlyOf(s, set string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}
