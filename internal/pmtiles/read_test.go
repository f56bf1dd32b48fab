package pmtiles_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/gridmap/gridmap/internal/pmtiles"
)

// TestParseHeader reads back what AppendHeader writes, and refuses short,
// foreign and other-version headers naming what is wrong.
func TestParseHeader(t *testing.T) {
	h := pmtiles.Header{
		RootOffset: 127, RootLength: 1000, MetadataOffset: 1127, MetadataLength: 500,
		LeafDirectoryOffset: 1627, TileDataOffset: 1627, TileDataLength: 1 << 33,
		AddressedTilesCount: 432, TileEntriesCount: 430, TileContentsCount: 400,
		Clustered: true, InternalCompression: pmtiles.Gzip, TileCompression: pmtiles.Gzip, TileType: pmtiles.Mvt,
		MinZoom: 0, MaxZoom: 15, MinLonE7: -1200000000, MinLatE7: 317000000, MaxLonE7: 1205000000, MaxLatE7: -320000000,
		CenterZoom: 11, CenterLonE7: 1202500000, CenterLatE7: -318500000,
	}
	good := pmtiles.AppendHeader(nil, h)
	if back, err := pmtiles.ParseHeader(good); err != nil || back != h {
		t.Fatalf("read back %+v, %v; want %+v", back, err, h)
	}
	v2 := append([]byte{}, good...)
	v2[7] = 2
	tests := []struct {
		name string
		b    []byte
	}{
		{"short", good[:100]},
		{"magic", append([]byte("MBTiles"), good[7:]...)},
		{"version", v2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := pmtiles.ParseHeader(tc.b); !errors.Is(err, pmtiles.ErrFormat) {
				t.Errorf("error %v, want ErrFormat", err)
			}
		})
	}
}

// TestReadEntries reads back what AppendEntries writes, and FindEntry
// finds every tile of every run and nothing between.
func TestReadEntries(t *testing.T) {
	const seed = 19
	entries := synthEntries(rand.New(rand.NewPCG(seed, seed)), 3000)
	back, err := pmtiles.ReadEntries(pmtiles.AppendEntries(nil, entries))
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(entries) {
		t.Fatalf("seed %d: %d entries read back, want %d", seed, len(back), len(entries))
	}
	for i, e := range entries {
		if back[i] != e {
			t.Fatalf("seed %d: entry %d read back as %+v, want %+v", seed, i, back[i], e)
		}
		for id := e.TileID; id < e.TileID+uint64(e.RunLength); id++ {
			if got, ok := pmtiles.FindEntry(back, id); !ok || got != e {
				t.Fatalf("seed %d: FindEntry(%d) = %+v, %v; want %+v", seed, id, got, ok, e)
			}
		}
		if next := e.TileID + uint64(e.RunLength); i+1 < len(entries) && next < entries[i+1].TileID {
			if got, ok := pmtiles.FindEntry(back, next); ok {
				t.Fatalf("seed %d: FindEntry(%d) = %+v between runs", seed, next, got)
			}
		}
	}
	if _, ok := pmtiles.FindEntry(back, 0); ok && entries[0].TileID > 0 {
		t.Error("FindEntry found a tile before the first entry")
	}
	for _, bad := range [][]byte{{}, {5, 1}, {1, 0, 1, 10, 0}} {
		if _, err := pmtiles.ReadEntries(bad); !errors.Is(err, pmtiles.ErrFormat) {
			t.Errorf("ReadEntries(%v): error %v, want ErrFormat", bad, err)
		}
	}
}

// FuzzParseHeader: any bytes give a header or ErrFormat, never a panic,
// and a header read writes back to the same bytes.
func FuzzParseHeader(f *testing.F) {
	f.Add(pmtiles.AppendHeader(nil, pmtiles.Header{RootOffset: 127, TileType: pmtiles.Mvt, MaxZoom: 15}))
	f.Add([]byte("PMTiles\x03"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := pmtiles.ParseHeader(b)
		if err != nil {
			if !errors.Is(err, pmtiles.ErrFormat) {
				t.Fatalf("error %v does not wrap ErrFormat", err)
			}
			return
		}
		again := pmtiles.AppendHeader(nil, h)
		if h2, err := pmtiles.ParseHeader(again); err != nil || h2 != h {
			t.Fatalf("header %+v written and read back as %+v, %v", h, h2, err)
		}
	})
}

// FuzzReadEntries: any bytes give entries or ErrFormat, never a panic
// nor a huge allocation, and entries read write back to entries equal.
func FuzzReadEntries(f *testing.F) {
	f.Add(pmtiles.AppendEntries(nil, []pmtiles.Entry{{5, 0, 10, 1}, {7, 10, 3, 2}, {9, 0, 10, 0}}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		es, err := pmtiles.ReadEntries(b)
		if err != nil {
			if !errors.Is(err, pmtiles.ErrFormat) {
				t.Fatalf("error %v does not wrap ErrFormat", err)
			}
			return
		}
		back, err := pmtiles.ReadEntries(pmtiles.AppendEntries(nil, es))
		if err != nil || len(back) != len(es) {
			t.Fatalf("%d entries written and read back as %d, %v", len(es), len(back), err)
		}
		for i := range es {
			if back[i] != es[i] {
				t.Fatalf("entry %d %+v read back as %+v", i, es[i], back[i])
			}
		}
	})
}
