package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/paulmach/orb"
)

// propsDataset is seedDataset with a grid whose properties take every
// kind a flat file writes, and grids without properties or with an empty
// map.
func propsDataset(t testing.TB) *geo.Dataset {
	t.Helper()
	d := seedDataset(t)
	towns := d.Layer("towns")
	towns.Grids[0].Props = map[string]any{
		"null": nil, "yes": true, "no": false, "n": 2.5, "neg0": math.Copysign(0, -1), "int": 7, "big": json.Number("320281112209004001"),
		"small": json.Number("12"), "s": "文定社区第03网格", "bad utf8": "a\xffb", "arr": []any{"x", 1.0, nil}, "obj": map[string]any{"k": []any{}},
	}
	towns.Grids[1].Props = map[string]any{}
	return d
}

// TestFlatReadsAsGob holds the flat format to the gob one: a dataset
// written in either reads back the same (grids, codes, properties as
// their JSON decodes, geometry bit for bit, partial flags), over the
// bundled Jiangyin and a dataset with every kind of property.
func TestFlatReadsAsGob(t *testing.T) {
	jy := gridtest.JiangyinSet(t, "county", "towns", "villages", "grids", "microgrids")
	partial := propsDataset(t)
	partial.Layer("towns").Partial = true
	for name, d := range map[string]*geo.Dataset{"jiangyin": jy, "properties": propsDataset(t), "partial": partial} {
		t.Run(name, func(t *testing.T) {
			var g, f bytes.Buffer
			if err := encodeGob(&g, d); err != nil {
				t.Fatal(err)
			}
			if err := encodeDataset(&f, d); err != nil {
				t.Fatal(err)
			}
			fromGob, err := decodeDataset(bytes.NewReader(g.Bytes()), int64(g.Len()))
			if err != nil {
				t.Fatal(err)
			}
			fromFlat, err := decodeDataset(bytes.NewReader(f.Bytes()), int64(f.Len()))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("gob %d bytes, flat %d bytes", g.Len(), f.Len())
			sameDatasets(t, fromGob, fromFlat)
		})
	}
}

// sameDatasets fails t unless a and b hold the same layers and grids.
func sameDatasets(t *testing.T, a, b *geo.Dataset) {
	t.Helper()
	if len(a.Layers) != len(b.Layers) {
		t.Fatalf("%d layers, want %d", len(b.Layers), len(a.Layers))
	}
	for i, la := range a.Layers {
		lb := b.Layers[i]
		if la.Name != lb.Name || la.Parent != lb.Parent || la.Partial != lb.Partial || len(la.Grids) != len(lb.Grids) {
			t.Fatalf("layer %d: %s/%s/%v/%d, want %s/%s/%v/%d", i, lb.Name, lb.Parent, lb.Partial, len(lb.Grids), la.Name, la.Parent, la.Partial, len(la.Grids))
		}
		for j, ga := range la.Grids {
			if !reflect.DeepEqual(ga, lb.Grids[j]) {
				t.Fatalf("layer %s grid %d: %+v, want %+v", la.Name, j, lb.Grids[j], ga)
			}
			if bits(ga.Geom) != bits(lb.Grids[j].Geom) {
				t.Fatalf("layer %s grid %d: geometry differs in its bits", la.Name, j)
			}
		}
	}
}

// bits returns the bits of every coordinate of mp, as text.
func bits(mp orb.MultiPolygon) string {
	var b []byte
	for _, p := range mp {
		for _, r := range p {
			for _, pt := range r {
				b = strconv.AppendUint(b, math.Float64bits(pt[0]), 16)
				b = strconv.AppendUint(b, math.Float64bits(pt[1]), 16)
			}
			b = append(b, '|')
		}
	}
	return string(b)
}

// TestFlatRingsDoNotShare: appending to a decoded ring does not write
// into the next one (rings lie in one array per layer).
func TestFlatRingsDoNotShare(t *testing.T) {
	d := decodeFlatOf(t, seedDataset(t))
	r0 := d.Layer("towns").Grids[0].Geom[0][0]
	next := d.Layer("towns").Grids[0].Geom[0][1][0]
	_ = append(r0, orb.Point{0, 0})
	if got := d.Layer("towns").Grids[0].Geom[0][1][0]; got != next {
		t.Fatalf("append to a ring changed the next ring: %v, was %v", got, next)
	}
}

// decodeFlatOf returns d written flat and read back.
func decodeFlatOf(t *testing.T, d *geo.Dataset) *geo.Dataset {
	t.Helper()
	var f bytes.Buffer
	if err := encodeDataset(&f, d); err != nil {
		t.Fatal(err)
	}
	out, err := decodeDataset(&f, int64(f.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// resealed returns a flat file b with its header, meta and chunk sums made
// right again, so that a check behind them is met.
func resealed(b []byte) []byte {
	le := binary.LittleEndian
	data := le.Uint64(b[16:]) + 16*le.Uint64(b[24:])
	out := make([]byte, flatHeaderSize+data) // cut or padded to what the header says
	copy(out, b)
	meta := out[flatHeaderSize : flatHeaderSize+le.Uint64(b[16:])]
	le.PutUint32(out[32:], crc32.Checksum(meta, flatCRC))
	le.PutUint32(out[36:], crc32.Checksum(out[:36], flatCRC))
	cw := &chunkWriter{w: &bytes.Buffer{}}
	cw.Write(out[flatHeaderSize:])
	sums := cw.sums()
	out = append(out, sums...)
	return le.AppendUint32(out, crc32.Update(crc32.Checksum(b[:flatHeaderSize], flatCRC), flatCRC, sums))
}

// TestFlatRefusesDamage: every kind of damage to a flat file is an error
// saying what failed: a flipped byte anywhere (header, meta, points,
// sums), truncation, a byte more, counts that lie (with sums made right),
// a position out of range.
func TestFlatRefusesDamage(t *testing.T) {
	var f bytes.Buffer
	if err := encodeDataset(&f, propsDataset(t)); err != nil {
		t.Fatal(err)
	}
	good := f.Bytes()
	le := binary.LittleEndian
	metaLen := int(le.Uint64(good[16:]))
	edit := func(fn func(b []byte) []byte) []byte { return fn(bytes.Clone(good)) }
	cases := map[string][]byte{
		"empty":         nil,
		"header only":   good[:flatHeaderSize],
		"truncated":     good[:len(good)-1],
		"one byte more": append(bytes.Clone(good), 0),
		"other format":  edit(func(b []byte) []byte { b[8] = 3; return resealed(b) }),
		"more layers":   edit(func(b []byte) []byte { b[12]++; return resealed(b) }),
		"meta size":     edit(func(b []byte) []byte { b[16]--; return resealed(b) }),
		"points":        edit(func(b []byte) []byte { b[24]++; return resealed(b) }),
		"ring count":    edit(func(b []byte) []byte { b[flatHeaderSize+1+len("county")+3]++; return resealed(b) }),
		"NaN point": edit(func(b []byte) []byte {
			le.PutUint64(b[flatHeaderSize+metaLen+8:], math.Float64bits(math.NaN()))
			return resealed(b)
		}),
		"lat 91": edit(func(b []byte) []byte {
			le.PutUint64(b[flatHeaderSize+metaLen+8:], math.Float64bits(91))
			return resealed(b)
		}),
	}
	for i := range good {
		cases["byte "+strconv.Itoa(i)] = edit(func(b []byte) []byte { b[i] ^= 0x40; return b })
	}
	for name, in := range cases {
		if _, err := decodeDataset(bytes.NewReader(in), int64(len(in))); err == nil {
			t.Errorf("%s: decoded", name)
		} else if testing.Verbose() && len(name) < 20 {
			t.Logf("%s: %v", name, err)
		}
	}
}

// TestOldDataDirStillLoads: a version whose layers file is a gob stream,
// as every store wrote before issue 19, loads as before, checked by
// SHA256SUMS; damage to it is still a *DamagedError naming layers.bin; a
// flat version's damage too.
func TestOldDataDirStillLoads(t *testing.T) {
	ctx := context.Background()
	s, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d := propsDataset(t)
	m, err := s.Publish(ctx, d, Meta{Who: "test"}, true)
	if err != nil {
		t.Fatal(err)
	}
	layers := filepath.Join(s.versionDir(m.ID), layersFile)
	flat, err := os.ReadFile(layers)
	if err != nil {
		t.Fatal(err)
	}
	if string(flat[:len(flatMagic)]) != flatMagic {
		t.Fatal("Publish did not write a flat layers file")
	}
	var g bytes.Buffer
	if err := encodeGob(&g, d); err != nil {
		t.Fatal(err)
	}
	sm, err := s.readSums(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	sm[layersFile] = sha256.Sum256(g.Bytes())
	write(t, filepath.Join(s.versionDir(m.ID), sumsFile), sm.encode())
	write(t, layers, g.Bytes())
	got, _, err := s.Load(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameDatasets(t, decodeFlatOf(t, d), got)
	if err := s.Verify(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"gob": g.Bytes(), "flat": flat} {
		b = bytes.Clone(b)
		b[len(b)/2] ^= 1
		write(t, layers, b)
		var de *DamagedError
		if _, _, err := s.Load(ctx, m.ID); !errors.As(err, &de) || de.File != layersFile {
			t.Errorf("%s file damaged: err %v, want a *DamagedError of %s", name, err, layersFile)
		}
	}
}

// write writes b to path.
func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkDecodeLayers decodes Jiangyin's layers file from memory, flat
// (format 2) and gob (format 1): what a start spends on the layers besides
// reading the file.
func BenchmarkDecodeLayers(b *testing.B) {
	d := gridtest.JiangyinSet(b, "county", "towns", "villages", "grids", "microgrids")
	for name, enc := range map[string]func(*bytes.Buffer, *geo.Dataset) error{
		"flat": func(w *bytes.Buffer, d *geo.Dataset) error { return encodeDataset(w, d) },
		"gob":  func(w *bytes.Buffer, d *geo.Dataset) error { return encodeGob(w, d) },
	} {
		var f bytes.Buffer
		if err := enc(&f, d); err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(f.Len()))
			for range b.N {
				if _, err := decodeDataset(bytes.NewReader(f.Bytes()), int64(f.Len())); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
