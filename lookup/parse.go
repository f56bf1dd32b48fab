package lookup

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/gridmap/gridmap/lookup/decimal"
)

// parsePoint reads {"id":..,"lon":..,"lat":..} into p, the point at index
// and line of a batch: first with fast scanners for flat objects, then,
// when they cannot decide, with encoding/json, whose error names what is
// wrong. The id is a view of text.
func parsePoint(p *point, text []byte, index, line int) error {
	*p = point{index: index, line: line}
	if scanCompact(p, text) {
		return checkPoint(p, true, true)
	}
	*p = point{index: index, line: line}
	if scanPoint(p, text) {
		return checkPoint(p, true, true)
	}
	*p = point{index: index, line: line}
	// keys match exactly, as JSON's do (encoding/json would also take
	// "LON" for a struct field lon), and the last of a repeated key wins,
	// as in the fast scanners
	var m map[string]json.RawMessage
	if err := json.Unmarshal(text, &m); err != nil {
		return &InputError{Index: index, Line: line, Msg: err.Error()}
	}
	p.id = string(m["id"])
	coord := func(name string, dst *float64) (bool, error) {
		raw, ok := m[name]
		if !ok {
			return false, nil
		}
		// null decodes into a float64 as no change at all: refuse it
		if err := json.Unmarshal(raw, dst); err != nil || string(bytes.TrimSpace(raw)) == "null" {
			return false, &InputError{Index: index, Line: line, Field: name, Msg: fmt.Sprintf("%s: want a number, got %s", name, raw)}
		}
		return true, nil
	}
	hasLon, err := coord("lon", &p.lon)
	if err != nil {
		return err
	}
	hasLat, err := coord("lat", &p.lat)
	if err != nil {
		return err
	}
	return checkPoint(p, hasLon, hasLat)
}

// checkPoint reports a coordinate of p missing or out of range.
func checkPoint(p *point, hasLon, hasLat bool) error {
	if !hasLon {
		return &InputError{Index: p.index, Line: p.line, Field: "lon", Msg: "lon missing"}
	}
	if !hasLat {
		return &InputError{Index: p.index, Line: p.line, Field: "lat", Msg: "lat missing"}
	}
	if field, msg := CheckLonLat(p.lon, p.lat); field != "" {
		return &InputError{Index: p.index, Line: p.line, Field: field, Msg: msg}
	}
	return nil
}

// scanCompact parses the one line a batch client usually writes,
// {"id":ID,"lon":NUM,"lat":NUM} without spaces, in one pass: ID a number or
// a plain string, NUM a JSON number without exponent.
// It reports false for anything else, left to scanPoint (p is then
// undefined).
func scanCompact(p *point, b []byte) bool {
	const head, lonKey, latKey = `{"id":`, `,"lon":`, `,"lat":`
	if len(b) < len(head) || string(b[:len(head)]) != head {
		return false
	}
	i := len(head)
	start := i
	if i < len(b) && b[i] == '"' {
		k := bytes.IndexByte(b[i+1:], '"')
		if k < 0 || !plainString(b[i+1:i+1+k]) {
			return false
		}
		i += k + 2
	} else {
		for i < len(b) && b[i] != ',' {
			i++
		}
		if !validNumber(b[start:i]) {
			return false
		}
	}
	p.id = view(b[start:i])
	if len(b)-i < len(lonKey) || string(b[i:i+len(lonKey)]) != lonKey {
		return false
	}
	i += len(lonKey)
	n, ok := 0, false
	if p.lon, n, ok = jsonDecimal(b[i:]); !ok {
		return false
	}
	i += n
	if len(b)-i < len(latKey) || string(b[i:i+len(latKey)]) != latKey {
		return false
	}
	i += len(latKey)
	if p.lat, n, ok = jsonDecimal(b[i:]); !ok {
		return false
	}
	i += n
	return i == len(b)-1 && b[i] == '}'
}

// jsonDecimal parses the JSON number at the start of b,
// -?(0|[1-9][0-9]*)(\.[0-9]+)?, when it has no exponent, with
// decimal.Parse, and returns its length.
func jsonDecimal(b []byte) (f float64, n int, ok bool) {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	d0 := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i == d0 || (b[d0] == '0' && i > d0+1) {
		return 0, 0, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		f0 := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == f0 {
			return 0, 0, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		return 0, 0, false
	}
	f, ok = decimal.Parse(view(b[:i]))
	return f, i, ok
}

// scanPoint parses a flat JSON object whose keys need no unescaping and
// whose lon and lat are plain numbers and id a string without escapes or a
// number. It reports false for anything else (the caller falls back to
// encoding/json), including objects without lon or lat (p is then
// undefined).
func scanPoint(p *point, b []byte) bool {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i++
	var hasLon, hasLat, ok bool
	for {
		i = skipWS(b, i)
		if i >= len(b) {
			return false
		}
		if b[i] == '}' {
			i++
			break
		}
		if i, ok = scanMember(p, b, i, &hasLon, &hasLat); !ok {
			return false
		}
		i = skipWS(b, i)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
			if i >= len(b) || b[i] != '"' {
				return false // a comma must lead to a member
			}
			continue
		}
		if i < len(b) && b[i] == '}' {
			i++
			break
		}
		return false
	}
	return skipWS(b, i) == len(b) && hasLon && hasLat
}

// scanMember scans the member "key":value at b[i:] of a flat object and
// sets the field of p it names (hasLon, hasLat: that lon, lat were set);
// it returns the position after the value.
func scanMember(p *point, b []byte, i int, hasLon, hasLat *bool) (int, bool) {
	if b[i] != '"' {
		return 0, false
	}
	j := bytes.IndexByte(b[i+1:], '"')
	if j < 0 {
		return 0, false
	}
	key := b[i+1 : i+1+j]
	if !plainKey(key) {
		return 0, false
	}
	i = skipWS(b, i+2+j)
	if i >= len(b) || b[i] != ':' {
		return 0, false
	}
	i = skipWS(b, i+1)
	end, ok := scanValue(b, i)
	if !ok {
		return 0, false
	}
	val := b[i:end]
	switch string(key) {
	case "id":
		p.id = view(val)
	case "lon", "lat":
		if val[0] == '"' || val[0] == 'n' {
			return 0, false
		}
		f, ok := decimal.Parse(view(val))
		if !ok {
			return 0, false
		}
		if key[1] == 'o' {
			p.lon, *hasLon = f, true
		} else {
			p.lat, *hasLat = f, true
		}
	}
	return end, true
}

// scanValue returns the end of the value at b[i:] when it is one a flat
// point may hold: a string without escapes, a JSON number, or null.
func scanValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch c := b[i]; {
	case c == '"':
		k := bytes.IndexByte(b[i+1:], '"')
		if k < 0 || !plainString(b[i+1:i+1+k]) {
			return 0, false
		}
		return i + k + 2, true
	case c == '-' || c >= '0' && c <= '9':
		start := i
		for i < len(b) && (b[i] == '-' || b[i] == '+' || b[i] == '.' || b[i] == 'e' || b[i] == 'E' || b[i] >= '0' && b[i] <= '9') {
			i++
		}
		return i, validNumber(b[start:i])
	case bytes.HasPrefix(b[i:], []byte("null")):
		return i + 4, true
	}
	return 0, false
}

// plainKey reports whether key, the inside of a JSON string, needs no
// unescaping and holds no control character (which JSON refuses: the slow
// path says so).
func plainKey(key []byte) bool {
	for _, c := range key {
		if c < 0x20 || c == '\\' {
			return false
		}
	}
	return true
}

// plainString reports whether s, the inside of a JSON string, holds only
// printable ASCII without escapes (anything else takes the slow path).
func plainString(s []byte) bool {
	for _, c := range s {
		if c < 0x20 || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return true
}

// validNumber reports whether b is a number by JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}
