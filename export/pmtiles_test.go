package export_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/export"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/tiles"
	"github.com/protomaps/go-pmtiles/pmtiles"
)

// pmtilesFile reads a PMTiles file with go-pmtiles' own decoders.
type pmtilesFile struct {
	b      []byte
	header pmtiles.HeaderV3
}

// tile returns the stored (gzipped) body of z/x/y, or nil, walking the
// root and leaf directories as a reader does.
func (f *pmtilesFile) tile(t *testing.T, z, x, y int) []byte {
	t.Helper()
	id := pmtiles.ZxyToID(uint8(z), uint32(x), uint32(y))
	off, length := f.header.RootOffset, f.header.RootLength
	for depth := 0; depth < 4; depth++ {
		entries := pmtiles.DeserializeEntries(bytes.NewBuffer(f.b[off:off+length]), f.header.InternalCompression)
		e, ok := pmtiles.FindTile(entries, id)
		if !ok {
			return nil
		}
		if e.RunLength > 0 {
			start := f.header.TileDataOffset + e.Offset
			return f.b[start : start+uint64(e.Length)]
		}
		off, length = f.header.LeafDirectoryOffset+e.Offset, uint64(e.Length)
	}
	t.Fatalf("directory deeper than 4 levels")
	return nil
}

func TestPMTiles(t *testing.T) {
	d := sampleDataset(t)
	s, err := tiles.NewSource(d, tiles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "jiangyin.pmtiles")
	o := export.PMTilesOptions{MinZoom: 9, MaxZoom: 13, Version: "v7"}
	st, err := export.PMTiles(context.Background(), path, s, o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := pmtiles.DeserializeHeader(b[:pmtiles.HeaderV3LenBytes])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v; %d bytes", st, len(b))
	if h.SpecVersion != 3 || h.TileType != pmtiles.Mvt || h.TileCompression != pmtiles.Gzip || h.MinZoom != 9 || h.MaxZoom != 13 || !h.Clustered {
		t.Errorf("header %+v", h)
	}
	if int64(len(b)) != st.Bytes || h.AddressedTilesCount != uint64(st.NonEmpty) || h.TileContentsCount != uint64(st.Contents) || h.TileEntriesCount != uint64(st.Entries) {
		t.Errorf("header counts %+v, stats %+v, %d bytes", h, st, len(b))
	}
	tj := s.TileJSON("")
	if h.MinLonE7 != int32(tj.Bounds[0]*1e7+0.5) && h.MinLonE7 != int32(tj.Bounds[0]*1e7) {
		t.Errorf("min lon %d, bounds %v", h.MinLonE7, tj.Bounds)
	}
	meta, err := pmtiles.DeserializeMetadata(bytes.NewReader(b[h.MetadataOffset:h.MetadataOffset+h.MetadataLength]), h.InternalCompression)
	if err != nil {
		t.Fatal(err)
	}
	if meta["gridmap:version"] != "v7" || meta["format"] != "pbf" {
		t.Errorf("metadata %v", meta)
	}
	checkVectorLayers(t, meta["vector_layers"], tj.VectorLayers, o.MinZoom, o.MaxZoom)
	// Every tile of the range: in the file exactly when non-empty, and
	// equal to Source.Tile.
	f := &pmtilesFile{b: b, header: h}
	nonEmpty := 0
	for z := o.MinZoom; z <= o.MaxZoom; z++ {
		for _, tl := range s.TilesOver(z) {
			want, err := s.Tile(z, int(tl.X), int(tl.Y))
			if err != nil {
				t.Fatal(err)
			}
			got := f.tile(t, z, int(tl.X), int(tl.Y))
			if len(want) == 0 {
				if got != nil {
					t.Errorf("%v: empty tile stored", tl)
				}
				continue
			}
			nonEmpty++
			if got == nil {
				t.Errorf("%v: missing", tl)
				continue
			}
			if !bytes.Equal(gridtest.Gunzip(t, got), want) {
				t.Errorf("%v: stored tile differs from Source.Tile", tl)
			}
		}
	}
	if nonEmpty != st.NonEmpty || nonEmpty == 0 {
		t.Errorf("%d non-empty tiles, stats say %d", nonEmpty, st.NonEmpty)
	}
	// A tile outside the range is absent.
	if f.tile(t, 14, 13665, 6657) != nil {
		t.Error("z14 tile stored")
	}
}

// TestPMTilesErrors: zooms out of range and a cancelled context fail and
// leave no file behind.
func TestPMTilesErrors(t *testing.T) {
	s, err := tiles.NewSource(sampleDataset(t), tiles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		o    export.PMTilesOptions
	}{
		{"zooms reversed", context.Background(), export.PMTilesOptions{MinZoom: 12, MaxZoom: 10}},
		{"zoom too deep", context.Background(), export.PMTilesOptions{MinZoom: 10, MaxZoom: tiles.MaxZoom + 1}},
		{"cancelled", cancelled, export.PMTilesOptions{MinZoom: 8, MaxZoom: 12}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := export.PMTiles(tt.ctx, filepath.Join(dir, "x.pmtiles"), s, tt.o); err == nil {
				t.Fatal("no error")
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// checkVectorLayers wants the metadata's vector_layers (as go-pmtiles
// decodes them) to be the layers of src whose zoom range meets the
// archive's minZoom..maxZoom, in order, each with its range cut to the
// archive's.
func checkVectorLayers(t *testing.T, got any, src []tiles.VectorLayer, minZoom, maxZoom int) {
	t.Helper()
	var want []string
	for _, vl := range src {
		if lo, hi := max(vl.MinZoom, minZoom), min(vl.MaxZoom, maxZoom); lo <= hi {
			want = append(want, fmt.Sprintf("%s %d-%d", vl.ID, lo, hi))
		}
	}
	list, _ := got.([]any)
	var have []string
	for _, v := range list {
		m, _ := v.(map[string]any)
		lo, _ := m["minzoom"].(float64)
		hi, _ := m["maxzoom"].(float64)
		have = append(have, fmt.Sprintf("%v %d-%d", m["id"], int(lo), int(hi)))
	}
	if !slices.Equal(have, want) || len(want) < 2 {
		t.Errorf("vector_layers %v, want %v within zooms %d-%d", have, want, minZoom, maxZoom)
	}
}
