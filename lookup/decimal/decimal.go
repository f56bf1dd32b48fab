// Package decimal parses the decimal numbers of gridmap's input, the one
// grammar shared by the GET lookup, the batch formats and the command line:
// coordinates in degrees and distances in metres.
package decimal

import (
	"strconv"
	"strings"
)

// Parse parses s, surrounding spaces trimmed, as a decimal number: digits,
// sign, point and exponent only. strconv.ParseFloat alone also takes
// hexadecimal ("0x1p7"), underscores ("1_20"), "Inf" and "NaN", which no
// client sends as a coordinate or a distance on purpose; a typo among them
// must be refused, not looked up. A number beyond float64's range ("1e400")
// is refused too. ok is false for anything refused.
//
// Plain decimals of at most 15 significant digits without an exponent (every
// coordinate a phone or a GIS export writes) take an exact fast path; the
// rest go to strconv.ParseFloat. Both give the correctly rounded float64.
// Parse allocates nothing.
func Parse(s string) (f float64, ok bool) {
	if f, ok := fast(s); ok {
		return f, true
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+', c == 'e', c == 'E':
		default:
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// exactPow10 holds the powers of ten that float64 represents exactly.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fast parses -?digits(.digits)? with at most 15 digits in all, the case
// where the digits as an integer m and the power of ten 10^k are both exact
// float64s, so that m / 10^k, one IEEE division, is the correctly rounded
// value (Clinger's fast path, which strconv also takes after its general
// scan). ok is false for anything else, left to the slow path.
func fast(s string) (float64, bool) {
	i := 0
	neg := false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	var m uint64
	digits, frac := 0, 0
	intDigits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		m = m*10 + uint64(s[i]-'0')
		digits++
		intDigits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			m = m*10 + uint64(s[i]-'0')
			digits++
			frac++
		}
		if frac == 0 {
			return 0, false // "1." goes to strconv, which takes it
		}
	}
	if i != len(s) || intDigits == 0 || digits > 15 {
		return 0, false
	}
	f := float64(m) / exactPow10[frac]
	if neg {
		f = -f
	}
	return f, true
}
