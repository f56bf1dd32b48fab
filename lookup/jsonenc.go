package lookup

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// The lookup answer is written with append-style encoders: no reflection and
// no allocation on the hot path.

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendFloat appends a coordinate in the shortest form that parses back to
// the same float64.
func appendFloat(b []byte, f float64) []byte {
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// appendCoord appends f, parsed from text, in the shortest form that parses
// back to it: text itself when it is already that form, else appendFloat.
func appendCoord(b []byte, text string, f float64) []byte {
	if shortestDecimal(text) {
		return append(b, text...)
	}
	return appendFloat(b, f)
}

// shortestDecimal reports whether s is a decimal that strconv's shortest
// formatting ('g', -1) of its own value gives back unchanged:
// -?(0|[1-9][0-9]*)(\.[0-9]*[1-9])? with at most 15 significant digits,
// below 1e6 and not below 1e-4 in magnitude (strconv writes the others with
// an exponent). A
// decimal of at most 15 significant digits is the only one of that length
// or shorter that parses to its float64 (15 is float64's decimal
// precision), so the shortest form has exactly its digits; the fuzz test
// holds the two to each other.
func shortestDecimal(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		return false
	}
	sig := 0
	zeroInt := s[i] == '0'
	if zeroInt {
		i++
	} else {
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			sig++
		}
	}
	if sig > 6 {
		return false // 1e6 and above: strconv writes an exponent
	}
	if i == len(s) {
		return true
	}
	if s[i] != '.' {
		return false
	}
	i++
	f0 := i
	lead := zeroInt // still counting leading zeros of 0.000ddd
	zeros := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if lead && s[i] == '0' {
			zeros++
			continue
		}
		lead = false
		sig++
	}
	return i == len(s) && i > f0 && s[i-1] != '0' && sig <= 15 && zeros <= 3
}

// appendJSONValue appends any JSON-marshalable value (used once per grid,
// off the hot path).
func appendJSONValue(b []byte, v any) []byte {
	if v == nil {
		return append(b, "{}"...)
	}
	j, err := json.Marshal(v)
	if err != nil {
		return append(b, "{}"...)
	}
	return append(b, j...)
}
