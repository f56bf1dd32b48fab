package store

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

// layerRecV1 is the layer record as written before issue 18, without
// Partial.
type layerRecV1 struct {
	Name  string
	Grids int
}

// encodeV1 writes d as builds before issue 18 did.
func encodeV1(t *testing.T, d *geo.Dataset) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := gob.NewEncoder(&b)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(enc.Encode(header{Format: formatVersion, Layers: len(d.Layers)}))
	for _, l := range d.Layers {
		must(enc.Encode(layerRecV1{Name: l.Name, Grids: len(l.Grids)}))
		for _, g := range l.Grids {
			props, err := json.Marshal(g.Props)
			must(err)
			must(enc.Encode(&gridRec{Code: g.Code, Name: g.Name, Level: g.Level, Parent: g.Parent, Props: props, Geom: toRaw(g.Geom)}))
		}
	}
	return b.Bytes()
}

// TestPartialEncoding: the layers file keeps geo.Layer.Partial, reads a
// file written before the field as not partial, and what it writes is
// read by a decoder of before (so the format version stays 1).
func TestPartialEncoding(t *testing.T) {
	partial := seedDataset(t)
	partial.Layer("towns").Partial = true
	for _, tc := range []struct {
		name string
		in   func() []byte
		want map[string]bool // layer → Partial after decoding
	}{
		{"partial kept", func() []byte {
			var b bytes.Buffer
			if err := encodeDataset(&b, partial); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}, map[string]bool{"county": false, "towns": true}},
		{"written before issue 18", func() []byte { return encodeV1(t, partial) }, map[string]bool{"county": false, "towns": false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in()
			d, err := decodeDataset(bytes.NewReader(in), int64(len(in)))
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tc.want {
				if got := d.Layer(name).Partial; got != want {
					t.Errorf("layer %s: Partial = %v, want %v", name, got, want)
				}
			}
		})
	}
	// a gob file written with Partial set reads with a decoder of before
	var now bytes.Buffer
	if err := encodeGob(&now, partial); err != nil {
		t.Fatal(err)
	}
	dec := gob.NewDecoder(&now)
	var h header
	if err := dec.Decode(&h); err != nil {
		t.Fatal(err)
	}
	grids := 0
	for range h.Layers {
		var lr layerRecV1
		if err := dec.Decode(&lr); err != nil {
			t.Fatalf("a decoder of before: %v", err)
		}
		for range lr.Grids {
			var g gridRec
			if err := dec.Decode(&g); err != nil {
				t.Fatalf("a decoder of before: layer %s: %v", lr.Name, err)
			}
			grids++
		}
	}
	if grids != 3 {
		t.Errorf("a decoder of before read %d grids, want 3", grids)
	}
}

// TestPartialPublished: a published version's manifest and layers say
// which layers are partial, and a reload restores geo.Layer.Partial.
func TestPartialPublished(t *testing.T) {
	ctx := context.Background()
	s, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d := seedDataset(t)
	d.Layer("towns").Partial = true
	m, err := s.Publish(ctx, d, Meta{Who: "test"}, true)
	if err != nil {
		t.Fatal(err)
	}
	got, lm, err := s.Load(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Layer("towns").Partial || got.Layer("county").Partial {
		t.Errorf("reloaded: towns partial %v, county partial %v; want true, false", got.Layer("towns").Partial, got.Layer("county").Partial)
	}
	for _, l := range lm.Layers {
		if l.Partial != (l.Name == "towns") {
			t.Errorf("manifest layer %s: partial = %v", l.Name, l.Partial)
		}
	}
}
