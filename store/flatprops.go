package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo"
)

// A grid's properties in a flat layers file: uvarint count+1 (0: no map),
// then per property its key's number in the layer's key table and a kind
// byte with its value. Strings, booleans, null and float64 are written as
// themselves; anything else (arrays, objects, json.Number, strings that are
// not UTF-8, other Go types) as its JSON, decoded as geo.DecodeProps
// decodes: so a grid reads back exactly as from a gob file, whose
// properties were JSON.
const (
	propNull byte = iota
	propFalse
	propTrue
	propFloat
	propString
	propJSON
)

// keyTable numbers the property keys of one layer.
type keyTable struct {
	keys []string
	num  map[string]uint64
}

// newKeyTable returns the table of every property key of l's grids,
// sorted.
func newKeyTable(l *geo.Layer) *keyTable {
	t := &keyTable{num: map[string]uint64{}}
	for _, g := range l.Grids {
		for k := range g.Props {
			if _, ok := t.num[k]; !ok {
				t.num[k] = 0
				t.keys = append(t.keys, k)
			}
		}
	}
	slices.Sort(t.keys)
	for i, k := range t.keys {
		t.num[k] = uint64(i)
	}
	return t
}

// append appends the table: its size, then each key.
func (t *keyTable) append(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(t.keys)))
	for _, k := range t.keys {
		b = appendString(b, k)
	}
	return b
}

// appendProps appends props (see above), in the key table's order, so that
// a dataset always encodes to the same bytes (stores compare encodings).
func (t *keyTable) appendProps(b []byte, props map[string]any) ([]byte, error) {
	if props == nil {
		return append(b, 0), nil
	}
	b = binary.AppendUvarint(b, uint64(len(props))+1)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, c string) int { return cmp.Compare(t.num[a], t.num[c]) })
	for _, k := range keys {
		v := props[k]
		b = binary.AppendUvarint(b, t.num[k])
		var err error
		if b, err = appendValue(b, v); err != nil {
			return nil, fmt.Errorf("%q: %w", k, err)
		}
	}
	return b, nil
}

// appendValue appends one property value with its kind.
func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, propNull), nil
	case bool:
		return append(b, propFalse+boolByte(x)), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("unsupported value %g", x)
		}
		return binary.LittleEndian.AppendUint64(append(b, propFloat), math.Float64bits(x)), nil
	case string:
		if utf8.ValidString(x) {
			return appendString(append(b, propString), x), nil
		}
	}
	j, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return appendString(append(b, propJSON), string(j)), nil
}

// metaReader reads the meta section of a flat layers file. Every read is
// bounded by the bytes left: damage is an error, never a panic nor an
// allocation larger than the file.
type metaReader struct {
	b   []byte
	off int
	err error
}

// fail records the first error.
func (r *metaReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: meta byte %d: %s", errFlat, r.off, fmt.Sprintf(format, args...))
	}
}

// uvarint reads a count of at most max.
func (r *metaReader) uvarint(what string, max uint64) int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.fail("%s unreadable", what)
		return 0
	}
	r.off += n
	if v > max {
		r.fail("%s %d, more than %d", what, v, max)
		return 0
	}
	return int(v)
}

// left returns the bytes left.
func (r *metaReader) left() uint64 { return uint64(len(r.b) - r.off) }

// bytes reads a string's bytes, in place.
func (r *metaReader) bytes(what string) []byte {
	n := r.uvarint(what+" length", math.MaxInt32)
	if r.err == nil && uint64(n) > r.left() {
		r.fail("%s of %d bytes, %d left", what, n, r.left())
	}
	if r.err != nil {
		return nil
	}
	s := r.b[r.off : r.off+n]
	r.off += n
	return s
}

// byte1 reads one byte.
func (r *metaReader) byte1(what string) byte {
	if r.err != nil {
		return 0
	}
	if r.off >= len(r.b) {
		r.fail("%s missing", what)
		return 0
	}
	r.off++
	return r.b[r.off-1]
}

// keys reads a layer's key table.
func (r *metaReader) keys() []string {
	n := r.uvarint("key count", r.left())
	keys := make([]string, 0, n)
	for range n {
		keys = append(keys, string(r.bytes("key")))
	}
	return keys
}

// props reads a grid's properties, keys numbered by keys.
func (r *metaReader) props(keys []string) map[string]any {
	n := r.uvarint("property count", r.left()+1)
	if n == 0 || r.err != nil {
		return nil
	}
	m := make(map[string]any, n-1)
	for range n - 1 {
		k := r.uvarint("key number", uint64(len(keys))-1)
		if len(keys) == 0 {
			r.fail("a property in a layer without keys")
		}
		v := r.value()
		if r.err != nil {
			return nil
		}
		m[keys[k]] = v
	}
	return m
}

// value reads one property value.
func (r *metaReader) value() any {
	switch kind := r.byte1("property kind"); kind {
	case propNull:
		return nil
	case propFalse, propTrue:
		return kind == propTrue
	case propFloat:
		if r.left() < 8 {
			r.fail("number cut short")
			return nil
		}
		r.off += 8
		return math.Float64frombits(binary.LittleEndian.Uint64(r.b[r.off-8:]))
	case propString:
		return string(r.bytes("string"))
	case propJSON:
		var v any
		if err := decodeJSONValue(r.bytes("JSON value"), &v); err != nil && r.err == nil {
			r.fail("JSON value: %v", err)
		}
		return v
	default:
		r.fail("property kind %d", kind)
		return nil
	}
}

// decodeJSONValue decodes one JSON value into v as geo.DecodeProps decodes
// a property's: numbers per geo.PlainNumbers.
func decodeJSONValue(b []byte, v *any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	*v = geo.PlainNumbers(*v)
	return nil
}
