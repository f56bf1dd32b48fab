package index

import (
	"fmt"
	"hash/crc32"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/bigmem"
)

// LoadIndex returns the index of d held in b, a published index file (see
// Encode) written for key from an index of d. It checks the file whole
// first: its header, that it names key and d's layers (their number, and
// each layer's grids, vertices and parent), and the checksums of every
// byte, in parallel. A file that fails is an error matching
// ErrNotIndexFile, ErrIndexFormat, ErrIndexKey or ErrIndexDamaged, saying
// what failed.
//
// The index uses b in place (but for its hot levels and ancestor tables,
// which it copies: see copyHot): b must stay unchanged and valid while the
// index is reachable, and must be 8-byte aligned (a memory
// mapping or an allocation of the runtime is). A caller that must release
// b (unmap it) ties that to the index with bigmem.ReleaseWith, as NewIndex
// does with its own memory; the index keeps itself alive through every read
// (see "Memory outside the heap" in doc.go).
func LoadIndex(d *geo.Dataset, b []byte, key string) (*Index, error) {
	if !littleEndian {
		return nil, errBigEndian
	}
	fl, err := parseLayout(b)
	if err != nil {
		return nil, err
	}
	if uintptr(unsafe.Pointer(&b[0]))%8 != 0 {
		return nil, fmt.Errorf("index: published index at an unaligned address")
	}
	if fl.key != key {
		return nil, fmt.Errorf("%w: the file is of %q, not %q", ErrIndexKey, fl.key, key)
	}
	if err := fl.checkDataset(d); err != nil {
		return nil, err
	}
	if err := fl.checkSums(b); err != nil {
		return nil, err
	}
	x := &Index{data: d, layers: make([]*layerIndex, len(d.Layers))}
	for i := range d.Layers {
		li, err := fl.layerIndex(b, i)
		if err != nil {
			return nil, err
		}
		x.layers[i] = li
	}
	for _, leaf := range d.Leaves() {
		x.leaves = append(x.leaves, d.LayerIndex(leaf.Name))
	}
	for i, li := range x.layers {
		for l := li.parentLayer; l >= 0 && len(li.upLayers) <= len(x.layers); l = x.layers[l].parentLayer {
			li.upLayers = append(li.upLayers, int32(l))
		}
		if len(li.up) != len(li.parent)*len(li.upLayers) {
			return nil, fmt.Errorf("%w: layer %d: %d ancestor entries for %d grids of depth %d", ErrIndexDamaged, i, len(li.up), len(li.parent), len(li.upLayers))
		}
	}
	x.copyHot()
	return x, nil
}

// copyHot copies the arrays that nearly every lookup reads, the hot levels
// and the ancestor tables, out of the file's bytes into memory of the
// index's own (bigmem: huge pages where the kernel allows it), released
// with x. A mapped file is mostly backed by 4 KiB pages, and a lookup's
// random reads from it then also miss the TLB: with these copied (6 % of
// the province's file), lookups on a mapped index run as on a built one
// (docs/performance.md), while the cells and border candidates, read by
// the few lookups near a border, stay in the file.
func (x *Index) copyHot() {
	for _, li := range x.layers {
		if h := li.cells.hot; h != nil {
			h.blocks = ownCopy(x, h.blocks)
			h.subs = ownCopy(x, h.subs)
		}
		li.up = ownCopy(x, li.up)
	}
}

// ownCopy returns a copy of s in memory from bigmem, released with x.
func ownCopy[T uint32 | int32 | uint64](x *Index, s []T) []T {
	if len(s) == 0 {
		return s
	}
	c, free := bigmem.Alloc[T](len(s))
	bigmem.ReleaseWith(x, free)
	copy(c, s)
	return c
}

// checkDataset checks that the file was written from an index of d: the
// same layers, each with the same grids, vertices and parent.
func (fl *fileLayout) checkDataset(d *geo.Dataset) error {
	if len(fl.layers) != len(d.Layers) {
		return fmt.Errorf("%w: %d layers, the dataset has %d", ErrIndexKey, len(fl.layers), len(d.Layers))
	}
	for i, l := range d.Layers {
		r := fl.layers[i]
		parent := int64(-1)
		if l.Parent != "" {
			parent = int64(d.LayerIndex(l.Parent))
		}
		if r.Grids != uint64(len(l.Grids)) || r.Vertices != uint64(l.Vertices()) || r.ParentLayer != parent {
			return fmt.Errorf("%w: layer %q has %d grids, %d vertices, parent %d; the file %d, %d, %d",
				ErrIndexKey, l.Name, len(l.Grids), l.Vertices(), parent, r.Grids, r.Vertices, r.ParentLayer)
		}
	}
	return nil
}

// chunk is a stretch of one section with its checksum.
type chunk struct {
	sec      int
	off, end uint64
	sum      uint32
}

// chunkList returns the chunks of every section, in file order.
func (fl *fileLayout) chunkList() []chunk {
	out := make([]chunk, 0, len(fl.sums))
	for i, s := range fl.sections {
		for off := s.Off; off < s.Off+s.Len; off += 1 << chunkShift {
			out = append(out, chunk{sec: i, off: off, end: min(off+1<<chunkShift, s.Off+s.Len), sum: fl.sums[len(out)]})
		}
	}
	return out
}

// checkSums checks the chunk sums of the sections of b, on every core, and
// names the first section that fails.
func (fl *fileLayout) checkSums(b []byte) error {
	work := fl.chunkList()
	var next atomic.Int64
	var bad atomic.Int64
	bad.Store(int64(len(work)))
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(work)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := next.Add(1) - 1
				if k >= bad.Load() {
					return
				}
				if c := work[k]; crc32.Checksum(b[c.off:c.end], crcTable) != c.sum {
					for old := bad.Load(); k < old && !bad.CompareAndSwap(old, k); old = bad.Load() {
					}
				}
			}
		}()
	}
	wg.Wait()
	if k := bad.Load(); k < int64(len(work)) {
		c := work[k]
		s := fl.sections[c.sec]
		return fmt.Errorf("%w: layer %d %s: checksum of bytes %d–%d fails", ErrIndexDamaged, s.Layer, sectionNames[s.Kind], c.off, c.end)
	}
	return nil
}

// sectionNames names the kinds of section.
var sectionNames = [...]string{secCells: "cells", secBorder: "border", secHotBlocks: "hot blocks", secHotSubs: "hot subcells", secParent: "parent links", secUp: "ancestors"}

// layerIndex returns the index of layer i over the sections of b, after
// checking that their lengths fit the layer's record.
func (fl *fileLayout) layerIndex(b []byte, i int) (*layerIndex, error) {
	r := fl.layers[i]
	secs := fl.sections[i*sectionsPerLayer : (i+1)*sectionsPerLayer]
	c := &cellIndex{
		minX: r.MinX, minY: r.MinY, invW: r.InvW, invH: r.InvH, cellW: r.CellW, cellH: r.CellH,
		nx: int(r.NX), ny: int(r.NY), maxAbsLat: r.MaxAbsLat, minKx: r.MinKx,
		cells:  viewOf[uint32](b, secs[secCells-1]),
		border: viewOf[uint64](b, secs[secBorder-1]),
	}
	li := &layerIndex{cells: c, parentLayer: int(r.ParentLayer), parent: viewOf[int32](b, secs[secParent-1]), up: viewOf[int32](b, secs[secUp-1])}
	if r.HotNBX > 0 {
		c.hot = &hotLevel{nbx: int(r.HotNBX), blocks: viewOf[uint64](b, secs[secHotBlocks-1]), subs: viewOf[uint32](b, secs[secHotSubs-1]), large: r.HotLarge != 0}
	}
	if err := li.checkLengths(int(r.Grids), len(fl.layers)); err != nil {
		return nil, fmt.Errorf("%w: layer %d: %v", ErrIndexDamaged, i, err)
	}
	return li, nil
}

// checkLengths checks the lengths of li's arrays against its layer's
// grids and its cells' shape.
func (li *layerIndex) checkLengths(grids, layers int) error {
	c := li.cells
	if c.nx < 1 || c.ny < 1 || c.nx > 1<<31/c.ny || len(c.cells) != c.nx*c.ny {
		return fmt.Errorf("%d cells for %d × %d", len(c.cells), c.nx, c.ny)
	}
	if li.parentLayer < -1 || li.parentLayer >= layers {
		return fmt.Errorf("parent layer %d", li.parentLayer)
	}
	if li.parentLayer >= 0 && len(li.parent) != grids || li.parentLayer < 0 && len(li.parent) != 0 {
		return fmt.Errorf("%d parent links for %d grids", len(li.parent), grids)
	}
	if grids > 0 && len(li.up)%grids != 0 || grids == 0 && len(li.up) != 0 {
		return fmt.Errorf("%d ancestor entries for %d grids", len(li.up), grids)
	}
	if h := c.hot; h != nil {
		nby := (c.ny + hotSide - 1) / hotSide
		if h.nbx != (c.nx+hotSide-1)/hotSide || len(h.blocks) != 2*h.nbx*nby {
			return fmt.Errorf("hot level of %d words for %d × %d cells", len(h.blocks), c.nx, c.ny)
		}
	}
	return nil
}

// viewOf returns the elements of section s of b, in place.
func viewOf[T uint32 | int32 | uint64](b []byte, s section) []T {
	if s.Len == 0 {
		return nil
	}
	var zero T
	return unsafe.Slice((*T)(unsafe.Pointer(&b[s.Off])), s.Len/uint64(unsafe.Sizeof(zero)))
}
