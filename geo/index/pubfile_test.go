package index_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"strconv"
	"testing"
	"unsafe"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/paulmach/orb"
)

// encoded returns the published index file of x for key, in 8-byte aligned
// memory (as a mapping would be).
func encoded(t testing.TB, x *index.Index, key string) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := x.Encode(&buf, key)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Fatalf("Encode returned %d bytes, wrote %d", n, buf.Len())
	}
	return aligned(buf.Bytes())
}

// aligned returns a copy of b in 8-byte aligned memory.
func aligned(b []byte) []byte {
	words := make([]uint64, (len(b)+7)/8)
	out := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(words))), len(b))
	copy(out, b)
	return out
}

// TestPublishedIndexAnswersAsBuilt loads Jiangyin's published index and
// holds it to the built one: every layer's Locate, the chains, the queries
// with boundary flags, nearest fallback and a layer filter, one point at a
// time and in batches, over the truth points and random points around the
// county; and the same sizes and ancestor tables.
func TestPublishedIndexAnswersAsBuilt(t *testing.T) {
	d, built := jiangyin(t)
	loaded, err := index.LoadIndex(d, encoded(t, built, "v1.0123"), "v1.0123")
	if err != nil {
		t.Fatal(err)
	}
	if a, b := built.Bytes(), loaded.Bytes(); a != b {
		t.Errorf("Bytes: built %d, loaded %d", a, b)
	}
	if msg := loaded.ChainsAgreeForTest(); msg != "" {
		t.Fatal(msg)
	}
	for i := range d.Layers {
		if a, b := built.StatsForTest(i), loaded.StatsForTest(i); a != b {
			t.Errorf("layer %d stats: built %s, loaded %s", i, a, b)
		}
	}
	var pts []orb.Point
	for _, p := range jiangyinPoints(t, d) {
		pts = append(pts, orb.Point{p.lon, p.lat})
	}
	b := d.Layers[0].Bound().Pad(0.02)
	rng := gridtest.Rand(20261207)
	for range 8000 {
		pts = append(pts, orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])})
	}
	t.Logf("%d points (seed 20261207)", len(pts))
	filter := make([]bool, len(d.Layers))
	filter[0], filter[len(filter)-1] = true, true
	queries := []*index.Query{nil, {}, {NearestM: 500}, {NearestM: 200, BoundaryM: 5, Layers: filter}, {BoundaryM: -1}}
	for _, p := range pts {
		for l := range d.Layers {
			if a, b := built.Locate(l, p[0], p[1]), loaded.Locate(l, p[0], p[1]); a != b {
				t.Fatalf("%v layer %d: built %d, loaded %d", p, l, a, b)
			}
		}
		sameHits(t, p, "chains", built.AppendChains(nil, p[0], p[1]), loaded.AppendChains(nil, p[0], p[1]))
		for qi, q := range queries {
			sameHits(t, p, "query "+strconv.Itoa(qi), built.AppendQuery(nil, p[0], p[1], q), loaded.AppendQuery(nil, p[0], p[1], q))
		}
	}
	ends := make([]int, len(pts))
	sameHits(t, orb.Point{}, "chains many", built.AppendChainsMany(nil, ends, pts), loaded.AppendChainsMany(nil, make([]int, len(pts)), pts))
	for _, q := range queries {
		sameHits(t, orb.Point{}, "query many", built.AppendQueryMany(nil, ends, pts, q), loaded.AppendQueryMany(nil, make([]int, len(pts)), pts, q))
	}
}

// sameHits fails t when two answers differ.
func sameHits(t *testing.T, p orb.Point, what string, a, b []index.Hit) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%v %s: built %d hits, loaded %d", p, what, len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("%v %s: hit %d built %+v, loaded %+v", p, what, i, a[i], b[i])
		}
	}
}

// layerRecordSize is the size of a layer's record in the header.
const layerRecordSize = 120

// fileSections returns the data sections of a published index file: offset
// and length of each non-empty one (read from its header, whose layout
// pubformat.go describes).
func fileSections(t *testing.T, b []byte) [][2]uint64 {
	t.Helper()
	le := binary.LittleEndian
	layers, nsec, keyLen := le.Uint32(b[12:]), le.Uint32(b[16:]), le.Uint32(b[20:])
	p := 48 + (uint64(keyLen)+7)&^7 + uint64(layers)*layerRecordSize
	var out [][2]uint64
	for range nsec {
		off, n := le.Uint64(b[p+8:]), le.Uint64(b[p+16:])
		if n > 0 {
			out = append(out, [2]uint64{off, n})
		}
		p += 24
	}
	return out
}

// TestPublishedIndexRefusesDamage checks that every kind of damage is
// refused with its reason: truncation anywhere, a flipped byte in the
// header and in each section, another magic, format version, key or
// dataset.
//
// Each case damages one scratch copy of the file, made good again before
// the next: a copy per case (80 of Jiangyin's 56 MB) held 4.5 GB, which the
// race detector's shadow memory made more than this machine has.
func TestPublishedIndexRefusesDamage(t *testing.T) {
	d, built := jiangyin(t)
	const key = "v3.00ff"
	good := encoded(t, built, key)
	if _, err := index.LoadIndex(d, good, key); err != nil {
		t.Fatal(err)
	}
	// damage returns the file to load from scratch, the good file damaged
	type damage func(scratch []byte) []byte
	flip := func(at uint64, bit byte) damage {
		return func(b []byte) []byte { b[at] ^= bit; return b[:len(good)] }
	}
	type tc struct {
		name   string
		damage damage
		d      *geo.Dataset
		key    string
		want   error
	}
	whole := func(b []byte) []byte { return b[:len(good)] }
	cases := []tc{
		{"empty", func([]byte) []byte { return nil }, d, key, index.ErrNotIndexFile},
		{"other magic", func(b []byte) []byte { b[0] = 'G'; return b[:len(good)] }, d, key, index.ErrNotIndexFile},
		{"other format", func(b []byte) []byte { b[8]++; return withHeaderSum(b[:len(good)]) }, d, key, index.ErrIndexFormat},
		{"other key", whole, d, "v4.00ff", index.ErrIndexKey},
		{"other dataset", whole, gridtest.JiangyinSet(t, "county", "towns", "villages", "grids"), key, index.ErrIndexKey},
		{"header byte", flip(60, 1), d, key, index.ErrIndexDamaged},
		{"layer record byte", flip(48+8+24, 1), d, key, index.ErrIndexDamaged},
	}
	for _, n := range []int{8, 47, 48, 1000, 4096, len(good) / 2, len(good) - 1} {
		cases = append(cases, tc{"truncated to " + strconv.Itoa(n), func(b []byte) []byte { return b[:n] }, d, key, index.ErrIndexDamaged})
	}
	cases = append(cases, tc{"one byte more", func(b []byte) []byte { b[len(good)] = 0; return b[:len(good)+1] }, d, key, index.ErrIndexDamaged})
	for i, s := range fileSections(t, good) {
		for _, at := range []uint64{s[0], s[0] + s[1]/2, s[0] + s[1] - 1} {
			cases = append(cases, tc{"section " + strconv.Itoa(i) + " byte " + strconv.Itoa(int(at)), flip(at, 0x10), d, key, index.ErrIndexDamaged})
		}
	}
	scratch := aligned(append(good[:len(good):len(good)], 0))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			copy(scratch, good)
			x, err := index.LoadIndex(c.d, c.damage(scratch), c.key)
			if !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
			if x != nil {
				t.Fatal("an index came with the error")
			}
			t.Log(err)
		})
	}
}

// withHeaderSum returns b with its header sum made right again, so that the
// check it is meant to meet comes before the sum's.
func withHeaderSum(b []byte) []byte {
	le := binary.LittleEndian
	layers, nsec, keyLen := le.Uint32(b[12:]), le.Uint32(b[16:]), le.Uint32(b[20:])
	dataOff, fileLen := le.Uint64(b[32:]), le.Uint64(b[40:])
	end := 48 + (uint64(keyLen)+7)&^7 + uint64(layers)*layerRecordSize + uint64(nsec)*24 + 4*((fileLen-dataOff+1<<24-1)>>24)
	le.PutUint32(b[end:], crc32.Checksum(b[:end], crc32.MakeTable(crc32.Castagnoli)))
	return b
}
