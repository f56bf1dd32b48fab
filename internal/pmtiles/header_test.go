package pmtiles_test

import (
	"bytes"
	"testing"

	"github.com/gridmap/gridmap/internal/pmtiles"
	ref "github.com/protomaps/go-pmtiles/pmtiles"
)

// TestAppendHeader checks the header bytes against go-pmtiles' encoder
// and decoder, negative coordinates included.
func TestAppendHeader(t *testing.T) {
	tests := []struct {
		name string
		h    pmtiles.Header
	}{
		{"zero", pmtiles.Header{}},
		{"jiangyin", pmtiles.Header{
			RootOffset: 127, RootLength: 1000, MetadataOffset: 1127, MetadataLength: 500,
			LeafDirectoryOffset: 1627, LeafDirectoryLength: 0, TileDataOffset: 1627, TileDataLength: 1 << 33,
			AddressedTilesCount: 432, TileEntriesCount: 430, TileContentsCount: 400,
			Clustered: true, InternalCompression: pmtiles.Gzip, TileCompression: pmtiles.Gzip, TileType: pmtiles.Mvt,
			MinZoom: 8, MaxZoom: 14,
			MinLonE7: 1200000000, MinLatE7: 317000000, MaxLonE7: 1205000000, MaxLatE7: 320000000,
			CenterZoom: 11, CenterLonE7: 1202500000, CenterLatE7: 318500000,
		}},
		{"west and south", pmtiles.Header{
			MinLonE7: -1800000000, MinLatE7: -850511287, MaxLonE7: -1, MaxLatE7: -2,
			CenterLonE7: -900000000, CenterLatE7: -450000000, TileType: pmtiles.Png, InternalCompression: pmtiles.NoCompression,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := pmtiles.AppendHeader(nil, tc.h)
			if len(b) != pmtiles.HeaderLen {
				t.Fatalf("%d bytes, want %d", len(b), pmtiles.HeaderLen)
			}
			rh := refHeader(tc.h)
			if want := ref.SerializeHeader(rh); !bytes.Equal(b, want) {
				t.Errorf("bytes\n%v, go-pmtiles\n%v", b, want)
			}
			back, err := ref.DeserializeHeader(b)
			if err != nil {
				t.Fatal(err)
			}
			if back != rh {
				t.Errorf("read back as %+v, want %+v", back, rh)
			}
		})
	}
}

// refHeader returns h as go-pmtiles' header type.
func refHeader(h pmtiles.Header) ref.HeaderV3 {
	return ref.HeaderV3{
		SpecVersion: 3,
		RootOffset:  h.RootOffset, RootLength: h.RootLength,
		MetadataOffset: h.MetadataOffset, MetadataLength: h.MetadataLength,
		LeafDirectoryOffset: h.LeafDirectoryOffset, LeafDirectoryLength: h.LeafDirectoryLength,
		TileDataOffset: h.TileDataOffset, TileDataLength: h.TileDataLength,
		AddressedTilesCount: h.AddressedTilesCount, TileEntriesCount: h.TileEntriesCount, TileContentsCount: h.TileContentsCount,
		Clustered:           h.Clustered,
		InternalCompression: ref.Compression(h.InternalCompression), TileCompression: ref.Compression(h.TileCompression),
		TileType: ref.TileType(h.TileType), MinZoom: h.MinZoom, MaxZoom: h.MaxZoom,
		MinLonE7: h.MinLonE7, MinLatE7: h.MinLatE7, MaxLonE7: h.MaxLonE7, MaxLatE7: h.MaxLatE7,
		CenterZoom: h.CenterZoom, CenterLonE7: h.CenterLonE7, CenterLatE7: h.CenterLatE7,
	}
}

// TestMetadata reads the metadata back with go-pmtiles and checks the
// bytes are those it writes.
func TestMetadata(t *testing.T) {
	meta := map[string]any{"name": "江阴", "minzoom": 8, "vector_layers": []any{map[string]any{"id": "grids"}}}
	b, err := pmtiles.Metadata(meta)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ref.DeserializeMetadata(bytes.NewReader(b), ref.Gzip)
	if err != nil {
		t.Fatal(err)
	}
	if back["name"] != "江阴" || back["minzoom"] != 8.0 || len(back["vector_layers"].([]any)) != 1 {
		t.Errorf("read back %v", back)
	}
	if want, _ := ref.SerializeMetadata(meta, ref.Gzip); !bytes.Equal(b, want) {
		t.Errorf("bytes differ from go-pmtiles'")
	}
	if _, err := pmtiles.Metadata(map[string]any{"bad": func() {}}); err == nil {
		t.Error("no error for a value JSON cannot hold")
	}
}
