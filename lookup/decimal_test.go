package lookup

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestParseDecimalMatchesStrconv holds the fast path to strconv.ParseFloat,
// bit for bit, on coordinates of every precision and on the edges of the
// fast path (15 and 16 digits, leading zeros, signs, "-0").
func TestParseDecimalMatchesStrconv(t *testing.T) {
	cases := []string{
		"0", "-0", "0.0", "-0.0", "1", "120", "120.2817", "31.9065", "-179.9999999", "90",
		"120.28170000000", "0.000000000000001", "999999999999999", "9999999999999999",
		"0.1", "0.3", "0.7", "1.0000000000000002", "123456789012345", "12345678901234.5",
		"1234567890123456", "007.5", "-007.50", ".5", "5.", "1e5", "1.5E-3", "+1", " 1.5 ",
	}
	for _, s := range cases {
		checkDecimal(t, s)
	}
	// coordinates at 1 to 15 decimals, as clients print them
	r := uint64(88172645463325252)
	for i := 0; i < 200000; i++ {
		r ^= r << 13
		r ^= r >> 7
		r ^= r << 17
		v := -180 + float64(r>>11)/(1<<53)*360
		prec := int(r % 16)
		checkDecimal(t, strconv.FormatFloat(v, 'f', prec, 64))
	}
}

func checkDecimal(t *testing.T, s string) {
	t.Helper()
	got, ok := ParseDecimal(s)
	want, err := strconv.ParseFloat(trim(s), 64)
	if ok != (err == nil) {
		t.Fatalf("ParseDecimal(%q) ok=%v, strconv err=%v", s, ok, err)
	}
	if ok && math.Float64bits(got) != math.Float64bits(want) {
		t.Fatalf("ParseDecimal(%q) = %v (%x), strconv %v (%x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
	}
}

func trim(s string) string { return strings.TrimSpace(s) }

// FuzzParseDecimal holds ParseDecimal to strconv.ParseFloat on any decimal
// string it accepts.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"120.2817", "-0", "999999999999999", "0.000000000000001", "1e5", "1_0", "0x1p7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseDecimal(s)
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(trim(s), 64)
		if err != nil {
			t.Fatalf("ParseDecimal(%q) accepted what strconv refuses: %v", s, err)
		}
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("ParseDecimal(%q) = %v, strconv %v", s, got, want)
		}
	})
}

func BenchmarkParseDecimal(b *testing.B) {
	b.ReportAllocs()
	s := 0.0
	for i := 0; i < b.N; i++ {
		f, _ := ParseDecimal("120.2817345")
		s += f
	}
	if s == 0 {
		b.Fatal()
	}
}

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
		p, ok := scanCompact(b)
		if !ok {
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

// FuzzShortestDecimal holds appendCoord to strconv's shortest formatting:
// whatever text it echoes must be exactly what strconv writes for the value.
func FuzzShortestDecimal(f *testing.F) {
	for _, s := range []string{"120.2817", "-0", "0", "0.0001", "0.00001", "31.90", "007", "-179.999999999999",
		"123456789012345", "1234567890123456", "0.5", "1e5", "120.", ".5", "-0.0001234", "100"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseDecimal(s)
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
		pv, ok := ParseDecimal(s)
		if !ok {
			t.Fatalf("ParseDecimal(%q) failed", s)
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
