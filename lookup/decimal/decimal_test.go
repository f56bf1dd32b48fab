package decimal

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestParseMatchesStrconv holds the fast path to strconv.ParseFloat, bit for
// bit, on coordinates of every precision and on the edges of the fast path
// (15 and 16 digits, leading zeros, signs, "-0").
func TestParseMatchesStrconv(t *testing.T) {
	cases := []string{
		"0", "-0", "0.0", "-0.0", "1", "120", "120.2817", "31.9065", "-179.9999999", "90",
		"120.28170000000", "0.000000000000001", "999999999999999", "9999999999999999",
		"0.1", "0.3", "0.7", "1.0000000000000002", "123456789012345", "12345678901234.5",
		"1234567890123456", "007.5", "-007.50", ".5", "5.", "1e5", "1.5E-3", "+1", " 1.5 ",
	}
	for _, s := range cases {
		checkParse(t, s)
	}
	// coordinates at 1 to 15 decimals, as clients print them
	r := uint64(88172645463325252)
	for i := 0; i < 200000; i++ {
		r ^= r << 13
		r ^= r >> 7
		r ^= r << 17
		v := -180 + float64(r>>11)/(1<<53)*360
		prec := int(r % 16)
		checkParse(t, strconv.FormatFloat(v, 'f', prec, 64))
	}
}

// TestParseRefuses: what strconv.ParseFloat takes beyond decimals, and
// what is no number at all.
func TestParseRefuses(t *testing.T) {
	for _, s := range []string{"", " ", "0x1p7", "0X1P-2", "1_0", "3_1.9", "inf", "Inf", "+Inf", "-infinity",
		"nan", "NaN", "1e400", "-1e309", "1,5", "120.5x", "e5", ".", "-", "1e", "1.5.2", "\u00a0"} {
		if f, ok := Parse(s); ok {
			t.Errorf("Parse(%q) = %v, want refused", s, f)
		}
	}
}

func checkParse(t *testing.T, s string) {
	t.Helper()
	got, ok := Parse(s)
	want, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if ok != (err == nil) {
		t.Fatalf("Parse(%q) ok=%v, strconv err=%v", s, ok, err)
	}
	if ok && math.Float64bits(got) != math.Float64bits(want) {
		t.Fatalf("Parse(%q) = %v (%x), strconv %v (%x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
	}
}

// decimalChars reports whether s holds only the characters of the decimal
// grammar: digits, signs, point and exponent.
func decimalChars(s string) bool {
	return s != "" && strings.Trim(s, "0123456789+-.eE") == ""
}

// FuzzParse holds Parse to strconv.ParseFloat on the accepted grammar: Parse
// takes s exactly when s, trimmed, is made of decimal characters only and
// strconv.ParseFloat takes it, and then gives the same float64, bit for bit.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"120.2817", "-0", "999999999999999", "0.000000000000001", "1e5", "1_0", "0x1p7",
		"Inf", "nan", "1e400", " 31.5 ", "+.5e-3", "1."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := Parse(s)
		trimmed := strings.TrimSpace(s)
		want, err := strconv.ParseFloat(trimmed, 64)
		if accept := decimalChars(trimmed) && err == nil; ok != accept {
			t.Fatalf("Parse(%q) ok=%v, want %v (strconv: %v)", s, ok, accept, err)
		}
		if ok && math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("Parse(%q) = %v, strconv %v", s, got, want)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	s := 0.0
	for i := 0; i < b.N; i++ {
		f, _ := Parse("120.2817345")
		s += f
	}
	if s == 0 {
		b.Fatal()
	}
}

// TestParseAllocs holds Parse to no allocation, on both paths.
func TestParseAllocs(t *testing.T) {
	for _, s := range []string{"120.2817345", " 1.5e-3 ", "0x1p7"} {
		if n := testing.AllocsPerRun(100, func() { Parse(s) }); n != 0 {
			t.Errorf("Parse(%q): %v allocations", s, n)
		}
	}
}
