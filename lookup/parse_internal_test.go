package lookup

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/lookup/decimal"
)

// FuzzScanCompact holds the one-pass parser of compact batch lines to
// encoding/json: whatever it accepts, encoding/json reads the same id, lon
// and lat from.
func FuzzScanCompact(f *testing.F) {
	for _, s := range []string{`{"id":1,"lon":120.5,"lat":31.5}`, `{"id":"a","lon":-0,"lat":0.0}`,
		`{"id":01,"lon":1,"lat":2}`, `{"id":1,"lon":1.,"lat":2}`, `{"id":1,"lon":1,"lat":2,"lon":3}`,
		`{"id":"a\"b","lon":1,"lat":2}`, `{"id":1,"lon":1e2,"lat":2}`, `{"id":-1.5e3,"lon":007,"lat":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p point
		if !scanCompact(&p, b) {
			return
		}
		var v struct {
			ID  json.RawMessage `json:"id"`
			Lon *float64        `json:"lon"`
			Lat *float64        `json:"lat"`
		}
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("scanCompact accepted %q, encoding/json: %v", b, err)
		}
		if v.Lon == nil || v.Lat == nil || string(v.ID) != string(p.id) ||
			math.Float64bits(*v.Lon) != math.Float64bits(p.lon) || math.Float64bits(*v.Lat) != math.Float64bits(p.lat) {
			t.Fatalf("scanCompact(%q) = %s %v %v, encoding/json %s %v %v", b, p.id, p.lon, p.lat, v.ID, v.Lon, v.Lat)
		}
	})
}

// FuzzScanPoint holds the scanner of flat point objects to encoding/json:
// whatever it accepts, encoding/json reads as an object whose members id,
// lon and lat (exact keys, the last of a repeated key winning) are the ones
// scanned.
func FuzzScanPoint(f *testing.F) {
	for _, s := range []string{`{"id":1,"lon":120.5,"lat":31.5}`, ` { "lat" : 31.5 , "lon" : 1.2e2 , "id" : "a" } `,
		`{"lon":1,"lat":2,"lon":3}`, `{"id":null,"lon":-0,"lat":0.0,"x":"y"}`, `{"LON":1,"lon":2,"lat":3}`, `{}`,
		`{"id":"a\"b","lon":1,"lat":2}`, `{"lon":1,"lat":2,}`, `{"lon":01,"lat":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p point
		if !scanPoint(&p, b) {
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("scanPoint accepted %q, encoding/json: %v", b, err)
		}
		var lon, lat float64
		if json.Unmarshal(m["lon"], &lon) != nil || json.Unmarshal(m["lat"], &lat) != nil {
			t.Fatalf("scanPoint accepted %q without numbers lon and lat", b)
		}
		if string(m["id"]) != p.id || math.Float64bits(lon) != math.Float64bits(p.lon) || math.Float64bits(lat) != math.Float64bits(p.lat) {
			t.Fatalf("scanPoint(%q) = %s %v %v, encoding/json %s %v %v", b, p.id, p.lon, p.lat, m["id"], lon, lat)
		}
	})
}

// FuzzShortestDecimal holds appendCoord to strconv's shortest formatting:
// whatever text it echoes must be exactly what strconv writes for the value.
func FuzzShortestDecimal(f *testing.F) {
	for _, s := range []string{"120.2817", "-0", "0", "0.0001", "0.00001", "31.90", "007", "-179.999999999999",
		"123456789012345", "1234567890123456", "0.5", "1e5", "120.", ".5", "-0.0001234", "100"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := decimal.Parse(s)
		if !ok {
			return
		}
		got := string(appendCoord(nil, s, v))
		want := strconv.FormatFloat(v, 'g', -1, 64)
		if got != want {
			t.Fatalf("appendCoord(%q) = %q, strconv %q", s, got, want)
		}
	})
}

// TestShortestDecimalCoordinates: coordinates as clients print them, at 0 to
// 15 decimals, are echoed exactly as strconv formats their values.
func TestShortestDecimalCoordinates(t *testing.T) {
	r := uint64(0x9e3779b97f4a7c15)
	echoed := 0
	for i := 0; i < 300000; i++ {
		r ^= r << 13
		r ^= r >> 7
		r ^= r << 17
		v := -180 + float64(r>>11)/(1<<53)*360
		if i%10 == 0 {
			v /= 1e6 // near zero: 0.000ddd and exponents
		}
		s := strconv.FormatFloat(v, 'f', int(r%16), 64)
		pv, ok := decimal.Parse(s)
		if !ok {
			t.Fatalf("decimal.Parse(%q) failed", s)
		}
		got, want := string(appendCoord(nil, s, pv)), strconv.FormatFloat(pv, 'g', -1, 64)
		if got != want {
			t.Fatalf("appendCoord(%q) = %q, strconv %q", s, got, want)
		}
		if shortestDecimal(s) {
			echoed++
		}
	}
	if echoed < 100000 {
		t.Errorf("only %d of 300000 echoed: the fast path is not taken", echoed)
	}
}
