package pmtiles_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/gridmap/gridmap/internal/pmtiles"
	ref "github.com/protomaps/go-pmtiles/pmtiles"
)

// maxRoot is the root size an archive's first 16 KiB read allows.
const maxRoot = 16384 - pmtiles.HeaderLen

// synthEntries returns n entries as an export makes them: ids rising with
// gaps, runs of identical tiles, tile data mostly contiguous, and about
// one body in ten pointing back at an earlier one (a duplicate).
func synthEntries(rng *rand.Rand, n int) []pmtiles.Entry {
	var es []pmtiles.Entry
	var id, off uint64
	for range n {
		id += 1 + uint64(rng.IntN(8))
		e := pmtiles.Entry{TileID: id, Offset: off, Length: 20 + rng.Uint32N(60000), RunLength: 1}
		if rng.IntN(10) == 0 {
			e.RunLength += rng.Uint32N(300)
		}
		if len(es) > 0 && rng.IntN(10) == 0 {
			e.Offset, e.Length = es[rng.IntN(len(es))].Offset, es[0].Length
		} else {
			off += uint64(e.Length)
		}
		id += uint64(e.RunLength - 1)
		es = append(es, e)
	}
	return es
}

// readBack decodes root and leaves with go-pmtiles' decoder and returns
// the tile entries in order, and the number of leaves.
func readBack(t *testing.T, root, leaves []byte) ([]pmtiles.Entry, int) {
	t.Helper()
	var out []pmtiles.Entry
	nleaves := 0
	for _, e := range ref.DeserializeEntries(bytes.NewBuffer(root), ref.Gzip) {
		if e.RunLength > 0 {
			out = append(out, pmtiles.Entry(e))
			continue
		}
		nleaves++
		for _, le := range ref.DeserializeEntries(bytes.NewBuffer(leaves[e.Offset:e.Offset+uint64(e.Length)]), ref.Gzip) {
			if le.RunLength == 0 {
				t.Fatalf("leaf entry %+v inside a leaf", le)
			}
			out = append(out, pmtiles.Entry(le))
		}
	}
	return out, nleaves
}

// TestBuildDirectories builds directories of synthetic entries, reads them
// back with go-pmtiles' decoder entry for entry, and checks the bytes are
// those go-pmtiles' BuildDirectories writes.
func TestBuildDirectories(t *testing.T) {
	tests := []struct {
		name       string
		n          int
		wantLeaves bool
	}{
		{"empty", 0, false},
		{"one", 1, false},
		{"root only", 1000, false},
		{"leaves", 5000, true},
		{"above the root entry limit", 20000, true},
		{"many leaves", 300000, true},
	}
	const seed = 15
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			entries := synthEntries(rand.New(rand.NewPCG(seed, uint64(tc.n))), tc.n)
			root, leaves, err := pmtiles.BuildDirectories(entries, maxRoot)
			if err != nil {
				t.Fatal(err)
			}
			if len(root) > maxRoot {
				t.Errorf("root %d bytes, more than %d", len(root), maxRoot)
			}
			got, nleaves := readBack(t, root, leaves)
			t.Logf("%d entries: root %d bytes, %d leaves of %d bytes", tc.n, len(root), nleaves, len(leaves))
			if (nleaves > 0) != tc.wantLeaves {
				t.Errorf("%d leaves", nleaves)
			}
			if len(got) != len(entries) {
				t.Fatalf("seed %d: read back %d entries, want %d", seed, len(got), len(entries))
			}
			for i := range entries {
				if got[i] != entries[i] {
					t.Fatalf("seed %d: entry %d read back as %+v, want %+v", seed, i, got[i], entries[i])
				}
			}
			refEntries := make([]ref.EntryV3, len(entries))
			for i, e := range entries {
				refEntries[i] = ref.EntryV3(e)
			}
			refRoot, refLeaves, _ := ref.BuildDirectories(refEntries, maxRoot, ref.Gzip)
			if !bytes.Equal(root, refRoot) || !bytes.Equal(leaves, refLeaves) {
				t.Errorf("root %d and leaves %d bytes differ from go-pmtiles' %d and %d", len(root), len(leaves), len(refRoot), len(refLeaves))
			}
		})
	}
}

// TestAppendEntries checks the uncompressed directory against go-pmtiles'
// decoder, the offset rule included (0 for contiguous, offset+1 else).
func TestAppendEntries(t *testing.T) {
	tests := []struct {
		name    string
		entries []pmtiles.Entry
		want    []byte
	}{
		{"empty", nil, []byte{0}},
		{"contiguous", []pmtiles.Entry{{5, 0, 10, 1}, {7, 10, 3, 2}}, []byte{2, 5, 2, 1, 2, 10, 3, 1, 0}},
		{"back reference", []pmtiles.Entry{{5, 0, 10, 1}, {6, 0, 10, 1}}, []byte{2, 5, 1, 1, 1, 10, 10, 1, 1}},
		{"leaf", []pmtiles.Entry{{300, 200, 5, 0}}, []byte{1, 0xac, 2, 0, 5, 0xc9, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := pmtiles.AppendEntries(nil, tc.entries)
			if !bytes.Equal(got, tc.want) {
				t.Fatalf("AppendEntries = %v, want %v", got, tc.want)
			}
			back := ref.DeserializeEntries(bytes.NewBuffer(got), ref.NoCompression)
			if len(back) != len(tc.entries) {
				t.Fatalf("read back %d entries, want %d", len(back), len(tc.entries))
			}
			for i, e := range back {
				if pmtiles.Entry(e) != tc.entries[i] {
					t.Errorf("entry %d read back as %+v, want %+v", i, e, tc.entries[i])
				}
			}
		})
	}
}
