package tiles

import (
	"slices"

	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/encoding/mvt/vectortile"
	"github.com/paulmach/orb/geojson"
)

// tagTable numbers every property key and value of a Source once, so that
// a tile writes a feature's properties as MVT tags (key index, value index
// pairs) from numbers fixed at NewSource. orb's mvt encoder sorts and hashes
// every feature's properties again on every tile, which was most of the
// time of encoding a tile; orb still encodes the geometry and the protobuf.
type tagTable struct {
	keys   []string
	values []*vectortile.Tile_Value
	keyID  map[string]uint32
	valID  map[any]uint32
}

func newTagTable() *tagTable {
	return &tagTable{keyID: map[string]uint32{}, valID: map[any]uint32{}}
}

// tags returns p as pairs of table-wide key and value numbers, keys in
// name order. Values are those of mvtValue: string, bool, int64, float64.
func (t *tagTable) tags(p geojson.Properties) []uint32 {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]uint32, 0, 2*len(keys))
	for _, k := range keys {
		v := tileValue(p[k])
		if v == nil {
			continue
		}
		ki, ok := t.keyID[k]
		if !ok {
			ki = uint32(len(t.keys))
			t.keys = append(t.keys, k)
			t.keyID[k] = ki
		}
		vk := p[k]
		vi, ok := t.valID[vk]
		if !ok {
			vi = uint32(len(t.values))
			t.values = append(t.values, v)
			t.valID[vk] = vi
		}
		out = append(out, ki, vi)
	}
	return out
}

// tileValue returns v as an MVT value: strings as string_value, int64 as
// sint_value, float64 as double_value, booleans as bool_value (the types
// orb's encoder gives them); nil for any other type.
func tileValue(v any) *vectortile.Tile_Value {
	switch x := v.(type) {
	case string:
		return &vectortile.Tile_Value{StringValue: &x}
	case int64:
		return &vectortile.Tile_Value{SintValue: &x}
	case float64:
		return &vectortile.Tile_Value{DoubleValue: &x}
	case bool:
		return &vectortile.Tile_Value{BoolValue: &x}
	}
	return nil
}

// marshalTile encodes layers with orb, their features' properties left out,
// and then writes each feature's tags from tags (tags[i][j]: the table-wide
// pairs of feature j of layer i), with per-layer key and value tables that
// hold only what the layer uses.
func (t *tagTable) marshalTile(layers mvt.Layers, tags [][][]uint32) (*vectortile.Tile, error) {
	for _, l := range layers {
		for _, f := range l.Features {
			f.Properties = nil
		}
	}
	vt, err := mvt.MarshalToVectorTile(layers)
	if err != nil {
		return nil, err
	}
	keyLocal := make([]int32, len(t.keys))
	valLocal := map[uint32]uint32{}
	for li, vl := range vt.Layers {
		for i := range keyLocal {
			keyLocal[i] = -1
		}
		clear(valLocal)
		var keys []string
		var valIDs []uint32
		ft := tags[li]
		if len(ft) != len(vl.Features) {
			// orb skips features without geometry; the renderers make none
			panic("tiles: features and their tags out of step")
		}
		total := 0
		for _, pairs := range ft {
			total += len(pairs)
		}
		all := make([]uint32, 0, total)
		for fi, pairs := range ft {
			start := len(all)
			for k := 0; k+1 < len(pairs); k += 2 {
				kg, vg := pairs[k], pairs[k+1]
				kl := keyLocal[kg]
				if kl < 0 {
					kl = int32(len(keys))
					keys = append(keys, t.keys[kg])
					keyLocal[kg] = kl
				}
				vlc, ok := valLocal[vg]
				if !ok {
					vlc = uint32(len(valIDs))
					valIDs = append(valIDs, vg)
					valLocal[vg] = vlc
				}
				all = append(all, uint32(kl), vlc)
			}
			vl.Features[fi].Tags = all[start:len(all):len(all)]
		}
		// Each tile gets its own value messages, in one allocation:
		// gogo/protobuf writes into a message while sizing it (its size
		// cache and extension map), so a Tile_Value shared by two tiles
		// marshalled at once would be a data race. The pointers to the
		// immutable values themselves are shared.
		slab := make([]vectortile.Tile_Value, len(valIDs))
		values := make([]*vectortile.Tile_Value, len(valIDs))
		for i, id := range valIDs {
			v := t.values[id]
			slab[i] = vectortile.Tile_Value{StringValue: v.StringValue, FloatValue: v.FloatValue, DoubleValue: v.DoubleValue,
				IntValue: v.IntValue, UintValue: v.UintValue, SintValue: v.SintValue, BoolValue: v.BoolValue}
			values[i] = &slab[i]
		}
		vl.Keys, vl.Values = keys, values
	}
	return vt, nil
}
