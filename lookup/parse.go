package lookup

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// inPoint is one input point of a JSON or NDJSON batch. id holds the raw
// JSON of the id (string, number or null), valid until the input moves on.
type inPoint struct {
	id       []byte
	lon, lat float64
}

// parsePoint reads {"id":..,"lon":..,"lat":..}: first with a fast scanner
// for flat objects, then, when that cannot decide, with encoding/json, whose
// error names what is wrong.
func parsePoint(text []byte, index, line int) (inPoint, error) {
	if p, ok := scanCompact(text); ok {
		return p, checkPoint(&p, index, line, true, true)
	}
	if p, ok := scanPoint(text); ok {
		return p, checkPoint(&p, index, line, true, true)
	}
	// keys match exactly, as JSON's do (encoding/json would also take
	// "LON" for a struct field lon), and the last of a repeated key wins,
	// as in the fast scanners
	var m map[string]json.RawMessage
	if err := json.Unmarshal(text, &m); err != nil {
		return inPoint{}, &InputError{Index: index, Line: line, Msg: err.Error()}
	}
	p := inPoint{id: m["id"]}
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
		return p, err
	}
	hasLat, err := coord("lat", &p.lat)
	if err != nil {
		return p, err
	}
	return p, checkPoint(&p, index, line, hasLon, hasLat)
}

func checkPoint(p *inPoint, index, line int, hasLon, hasLat bool) error {
	if !hasLon {
		return &InputError{Index: index, Line: line, Field: "lon", Msg: "lon missing"}
	}
	if !hasLat {
		return &InputError{Index: index, Line: line, Field: "lat", Msg: "lat missing"}
	}
	if field, msg := CheckLonLat(p.lon, p.lat); field != "" {
		return &InputError{Index: index, Line: line, Field: field, Msg: msg}
	}
	return nil
}

// scanCompact parses the one line a batch client usually writes,
// {"id":ID,"lon":NUM,"lat":NUM} without spaces, in one pass: ID a number or
// a plain string, NUM a JSON number without exponent of at most 15 digits.
// ok is false for anything else, left to scanPoint.
func scanCompact(b []byte) (p inPoint, ok bool) {
	const head, lonKey, latKey = `{"id":`, `,"lon":`, `,"lat":`
	if len(b) < len(head) || string(b[:len(head)]) != head {
		return p, false
	}
	i := len(head)
	start := i
	if i < len(b) && b[i] == '"' {
		k := bytes.IndexByte(b[i+1:], '"')
		if k < 0 || !plainString(b[i+1:i+1+k]) {
			return p, false
		}
		i += k + 2
	} else {
		for i < len(b) && b[i] != ',' {
			i++
		}
		if !validNumber(b[start:i]) {
			return p, false
		}
	}
	p.id = b[start:i]
	if len(b)-i < len(lonKey) || string(b[i:i+len(lonKey)]) != lonKey {
		return p, false
	}
	i += len(lonKey)
	n := 0
	if p.lon, n, ok = jsonDecimal(b[i:]); !ok {
		return p, false
	}
	i += n
	if len(b)-i < len(latKey) || string(b[i:i+len(latKey)]) != latKey {
		return p, false
	}
	i += len(latKey)
	if p.lat, n, ok = jsonDecimal(b[i:]); !ok {
		return p, false
	}
	i += n
	return p, i == len(b)-1 && b[i] == '}'
}

// jsonDecimal parses the JSON number at the start of b,
// -?(0|[1-9][0-9]*)(\.[0-9]+)?, when it has at most 15 digits and no
// exponent, exactly as fastDecimal does, and returns its length.
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
	f, ok = fastDecimal(unsafe.String(&b[0], i))
	return f, i, ok
}

// scanPoint parses a flat JSON object whose keys need no unescaping and
// whose lon and lat are plain numbers and id a string without escapes or a
// number. ok is false for anything else (the caller falls back to
// encoding/json), including objects without lon or lat.
func scanPoint(b []byte) (p inPoint, ok bool) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return p, false
	}
	i++
	var hasLon, hasLat bool
	for {
		i = skipWS(b, i)
		if i >= len(b) {
			return p, false
		}
		if b[i] == '}' {
			i++
			break
		}
		if b[i] != '"' {
			return p, false
		}
		j := bytes.IndexByte(b[i+1:], '"')
		if j < 0 {
			return p, false
		}
		key := b[i+1 : i+1+j]
		if bytes.IndexByte(key, '\\') >= 0 {
			return p, false
		}
		i = skipWS(b, i+2+j)
		if i >= len(b) || b[i] != ':' {
			return p, false
		}
		i = skipWS(b, i+1)
		start := i
		if i >= len(b) {
			return p, false
		}
		switch c := b[i]; {
		case c == '"':
			k := bytes.IndexByte(b[i+1:], '"')
			if k < 0 || !plainString(b[i+1:i+1+k]) {
				return p, false
			}
			i += k + 2
		case c == '-' || c >= '0' && c <= '9':
			for i < len(b) && (b[i] == '-' || b[i] == '+' || b[i] == '.' || b[i] == 'e' || b[i] == 'E' || b[i] >= '0' && b[i] <= '9') {
				i++
			}
			if !validNumber(b[start:i]) {
				return p, false
			}
		case bytes.HasPrefix(b[i:], []byte("null")):
			i += 4
		default:
			return p, false
		}
		val := b[start:i]
		switch string(key) {
		case "id":
			p.id = val
		case "lon", "lat":
			if val[0] == '"' || val[0] == 'n' {
				return p, false
			}
			f, ok := fastDecimal(unsafe.String(&val[0], len(val)))
			if !ok {
				var err error
				if f, err = strconv.ParseFloat(unsafe.String(&val[0], len(val)), 64); err != nil {
					return p, false
				}
			}
			if key[1] == 'o' {
				p.lon, hasLon = f, true
			} else {
				p.lat, hasLat = f, true
			}
		}
		i = skipWS(b, i)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
			if i >= len(b) || b[i] != '"' {
				return p, false // a comma must lead to a member
			}
			continue
		}
		if i < len(b) && b[i] == '}' {
			i++
			break
		}
		return p, false
	}
	if skipWS(b, i) != len(b) || !hasLon || !hasLat {
		return p, false
	}
	return p, true
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

// splitCSV splits one CSV line into fields that own their bytes.
func splitCSV(line []byte) ([]string, error) {
	return splitCSVInto(nil, append([]byte(nil), line...))
}

// splitCSVInto appends the fields of one CSV line to dst: a plain split on
// commas when the line has no quotes, encoding/csv otherwise. Without
// quotes the fields are views of line, valid only while line is.
func splitCSVInto(dst []string, line []byte) ([]string, error) {
	if bytes.IndexByte(line, '"') < 0 {
		for {
			i := bytes.IndexByte(line, ',')
			if i < 0 {
				return append(dst, view(line)), nil
			}
			dst = append(dst, view(line[:i]))
			line = line[i+1:]
		}
	}
	rec, err := csv.NewReader(bytes.NewReader(line)).Read()
	if err != nil {
		return dst, err
	}
	return append(dst, rec...), nil
}

// appendCSVField appends s as a CSV field, quoted when it must be.
func appendCSVField(b []byte, s string) []byte {
	if csvPlain(s) {
		return append(b, s...)
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD") // the answer is UTF-8 text/csv
	}
	if !strings.ContainsAny(s, ",\"\r\n") && (s == "" || s[0] != ' ') {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}

// view returns the bytes of b as a string without copying; the string is
// valid only while b is not overwritten.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// csvPlain reports whether s is printable ASCII that needs no quoting as a
// CSV field (the fast path of appendCSVField: ids, coordinates, codes).
func csvPlain(s string) bool {
	if len(s) > 0 && s[0] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == ',' || c == '"' {
			return false
		}
	}
	return true
}

// trimJSONSpace trims JSON's whitespace (space, tab, CR, LF) from both ends
// of b; other Unicode spaces are not JSON's and stay, to be refused.
func trimJSONSpace(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	for j > i && (b[j-1] == ' ' || b[j-1] == '\t' || b[j-1] == '\r' || b[j-1] == '\n') {
		j--
	}
	return b[i:j]
}
