package crs

import (
	"errors"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// epsgForms is the regular expression epsgCode reads by hand: the oracle
// of FuzzParse.
var epsgForms = regexp.MustCompile(`^(?:epsg:{1,2}|urn:ogc:def:crs:epsg:[0-9.]*:|https?://www\.opengis\.net/def/crs/epsg/[0-9.]+/)?([0-9]{4,5})$`)

// FuzzParse seeds from every name of the list and every EPSG form, and
// checks that epsgCode reads what the regular expression reads; that a
// name ParseSystem takes is taken again, alike, by its Name and in upper
// case; that Parse agrees with ParseSystem; and that every refusal wraps
// ErrUnknown or ErrProjected.
func FuzzParse(f *testing.F) {
	for _, g := range geographic {
		f.Add(g.ID)
		for _, a := range g.aliases {
			f.Add(a)
		}
	}
	for _, code := range []int{4326, 4490, GaussKrugerFirst, 4528, GaussKrugerLast, 3857} {
		n := strconv.Itoa(code)
		for _, form := range []string{n, "EPSG:" + n, "epsg::" + n, "urn:ogc:def:crs:EPSG::" + n, "urn:ogc:def:crs:EPSG:9.8:" + n,
			"http://www.opengis.net/def/crs/EPSG/0/" + n, "https://www.opengis.net/def/crs/EPSG/0/" + n} {
			f.Add(form)
		}
	}
	f.Add("")
	f.Add(" mars ")
	f.Fuzz(func(t *testing.T, name string) {
		lower := strings.ToLower(strings.TrimSpace(name))
		code, ok := epsgCode(lower)
		m := epsgForms.FindStringSubmatch(lower)
		var want int
		if m != nil {
			want, _ = strconv.Atoi(m[1])
		}
		if (m != nil) != ok || code != want {
			t.Fatalf("epsgCode(%q) = %d, %v; the regular expression matches %q", lower, code, ok, m)
		}
		sys, err := ParseSystem(name)
		geo, gerr := Parse(name)
		if err != nil {
			if !errors.Is(err, ErrUnknown) || !errors.Is(gerr, ErrUnknown) {
				t.Fatalf("ParseSystem(%q): %v; Parse: %v", name, err, gerr)
			}
			return
		}
		again, err := ParseSystem(sys.Name)
		if err != nil || !reflect.DeepEqual(again, sys) {
			t.Fatalf("ParseSystem(%q) = %+v, but its name %q gives %+v, %v", name, sys, sys.Name, again, err)
		}
		if isASCII(name) {
			if upper, err := ParseSystem(strings.ToUpper(name)); err != nil || !reflect.DeepEqual(upper, sys) {
				t.Fatalf("ParseSystem(%q) = %+v, in upper case %+v, %v", name, sys, upper, err)
			}
		}
		switch {
		case sys.Projected() && !errors.Is(gerr, ErrProjected):
			t.Fatalf("Parse(%q) of projected %s: %q, %v", name, sys.Name, geo, gerr)
		case !sys.Projected() && (gerr != nil || geo != sys.Geographic):
			t.Fatalf("Parse(%q) = %q, %v; ParseSystem gives %+v", name, geo, gerr, sys)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
