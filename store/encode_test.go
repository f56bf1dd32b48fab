package store

import (
	"bytes"
	"encoding/gob"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// seedDataset is a small dataset with two layers, a hole and properties.
func seedDataset(t testing.TB) *geo.Dataset {
	t.Helper()
	sq := func(x, y, s float64) orb.Ring {
		return orb.Ring{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
	}
	county := geo.NewLayer("county", []*geo.Grid{{Code: "1", Name: "c", Props: map[string]any{"code": "1", "n": 3.0}, Geom: orb.MultiPolygon{{sq(120, 31, 2)}}}})
	towns := geo.NewLayer("towns", []*geo.Grid{
		{Code: "11", Parent: "1", Name: "a", Level: "town", Geom: orb.MultiPolygon{{sq(120, 31, 1), {{120.25, 31.25}, {120.25, 31.75}, {120.75, 31.75}, {120.75, 31.25}, {120.25, 31.25}}}}},
		{Code: "12", Parent: "1", Name: "b", Props: map[string]any{"k": []any{"x", 1.5}}, Geom: orb.MultiPolygon{{sq(121, 31, 1)}, {sq(120.25, 31.25, 0.5)}}},
	})
	d, err := geo.NewDataset([]*geo.Layer{towns, county})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func encoded(t testing.TB, vs ...any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := gob.NewEncoder(&b)
	for _, v := range vs {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// TestDecodeBadCounts: counts beyond the bytes left are refused before
// anything is allocated for them.
func TestDecodeBadCounts(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "header"},
		{"format", encoded(t, header{Format: 9, Layers: 1}), "format 9"},
		{"negative layers", encoded(t, header{Format: formatVersion, Layers: -1}), "bad layer count"},
		{"layers past the end", encoded(t, header{Format: formatVersion, Layers: 1 << 16}), "bad layer count"},
		{"grids past the end", encoded(t, header{Format: formatVersion, Layers: 1}, layerRec{Name: "x", Grids: 1 << 60}), "bad grid count"},
		{"negative grids", encoded(t, header{Format: formatVersion, Layers: 1}, layerRec{Name: "x", Grids: -5}), "bad grid count"},
		{"truncated grid", encoded(t, header{Format: formatVersion, Layers: 1}, layerRec{Name: "x", Grids: 3}), "grid 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeDataset(bytes.NewReader(tc.in), int64(len(tc.in)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// FuzzDecodeDataset: the decoder never panics on any input, flat (format
// 2) or gob (format 1), and what it accepts encodes and decodes again to
// the same layers.
func FuzzDecodeDataset(f *testing.F) {
	var b bytes.Buffer
	if err := encodeDataset(&b, seedDataset(f)); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	partial := seedDataset(f)
	partial.Layer("towns").Partial = true
	b.Reset()
	if err := encodeDataset(&b, partial); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	b.Reset()
	if err := encodeDataset(&b, propsDataset(f)); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	b.Reset()
	if err := encodeGob(&b, partial); err != nil { // a layers file of format 1
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := decodeDataset(bytes.NewReader(in), int64(len(in)))
		if err != nil {
			return
		}
		var again bytes.Buffer
		if err := encodeDataset(&again, d); err != nil {
			t.Fatalf("decoded dataset does not encode: %v", err)
		}
		d2, err := decodeDataset(&again, int64(again.Len()))
		if err != nil {
			t.Fatalf("re-encoded dataset does not decode: %v", err)
		}
		if got, want := Summarise(d2), Summarise(d); !slices.Equal(got, want) {
			t.Fatalf("round trip changed layers: %+v, want %+v", got, want)
		}
	})
}

// TestPositionsRefused: positions the point index cannot take (not finite,
// or not lon/lat) are neither written nor read.
func TestPositionsRefused(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name string
		pt   orb.Point
	}{
		{"NaN lon", orb.Point{nan, 31}},
		{"NaN lat", orb.Point{120, nan}},
		{"+Inf", orb.Point{inf, 31}},
		{"-Inf", orb.Point{120, -inf}},
		{"huge", orb.Point{1e308, 1e308}},
		{"lon 180.5", orb.Point{180.5, 31}},
		{"lat -90.5", orb.Point{120, -90.5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ring := orb.Ring{{120, 31}, tc.pt, {121, 32}, {120, 31}}
			d, err := geo.NewDataset([]*geo.Layer{geo.NewLayer("x", []*geo.Grid{{Code: "1", Geom: orb.MultiPolygon{{ring}}}})})
			if err != nil {
				t.Fatal(err)
			}
			if err := encodeDataset(io.Discard, d); !errors.Is(err, errPosition) {
				t.Fatalf("encode: err = %v, want errPosition", err)
			}
			raw := gridRec{Code: "1", Geom: [][][][2]float64{{{{120, 31}, [2]float64(tc.pt), {121, 32}, {120, 31}}}}}
			in := encoded(t, header{Format: formatVersion, Layers: 1}, layerRec{Name: "x", Grids: 1}, &raw)
			if _, err := decodeDataset(bytes.NewReader(in), int64(len(in))); !errors.Is(err, errPosition) {
				t.Fatalf("decode: err = %v, want errPosition", err)
			}
		})
	}
}
