package geo

import (
	"bytes"
	"encoding/json"
	"math"
)

// PlainNumbers returns v, a decoded JSON value whose numbers are
// json.Number (json.Decoder.UseNumber), with every number turned into a
// float64, as encoding/json decodes by default, so that Grid.Props looks
// like any decoded JSON, except integers beyond 2^53 (an 18-digit code such
// as 320281112209004001, which a float64 rounds): they stay json.Number,
// which encoding/json writes back digit for digit. Maps and
// slices are changed in place.
func PlainNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return x
		}
		if isInteger(string(x)) && math.Abs(f) >= 1<<53 {
			// an integer beyond 2^53: a float64 may round it, and
			// encoding/json would write even an exact one in other digits
			return x
		}
		return f
	case []any:
		for i := range x {
			x[i] = PlainNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = PlainNumbers(x[k])
		}
	}
	return v
}

func isInteger(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// DecodeProps decodes a JSON object of properties as the importer does:
// numbers per PlainNumbers.
func DecodeProps(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	for k, v := range m {
		m[k] = PlainNumbers(v)
	}
	return m, nil
}
