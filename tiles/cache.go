package tiles

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gridmap/gridmap/internal/pmtiles"
)

// Defaults of CacheOptions, used for zero fields.
const (
	// DefaultCacheBytes caps the bytes a Cache keeps: 256 MiB.
	DefaultCacheBytes = 256 << 20
	// DefaultMaxTileBytes is the size above which a tile is reported as
	// oversize: 500 kB of uncompressed MVT, the limit map styles and
	// tippecanoe use.
	DefaultMaxTileBytes = 500_000
	// maxOversizeKept bounds the oversize tiles listed in CacheStats.
	maxOversizeKept = 100
	// entryOverhead is what an entry costs beyond its bodies: list element,
	// map slot, Encoded header (an estimate, counted so that a cache of
	// empty tiles stays bounded too).
	entryOverhead = 160
)

// CacheOptions configure a Cache. The zero value means the defaults.
type CacheOptions struct {
	// MaxBytes caps the bytes of cached tiles (both bodies plus a fixed
	// overhead per tile); least recently used tiles are evicted beyond it.
	// 0 means DefaultCacheBytes; negative disables caching (every call
	// renders, concurrent calls for one tile still render once).
	MaxBytes int64
	// MaxTileBytes is the uncompressed size above which a rendered tile is
	// reported (OnOversize, CacheStats.Oversize). The tile is still served.
	// 0 means DefaultMaxTileBytes.
	MaxTileBytes int
	// OnOversize, when set, is called once per render of an oversize tile,
	// from the rendering goroutine; it must return quickly.
	OnOversize func(Oversize)
}

// Oversize names a tile whose uncompressed body exceeds
// CacheOptions.MaxTileBytes.
type Oversize struct {
	Z         int `json:"z"`
	X         int `json:"x"`
	Y         int `json:"y"`
	Bytes     int `json:"bytes"`
	GzipBytes int `json:"gzip_bytes"`
}

// Encoded is a rendered tile: its MVT body and the same gzip-compressed.
// Both are shared with the cache and must not be modified.
type Encoded struct {
	// Raw is the MVT protobuf; empty for a tile with no feature, and for a
	// tile read from an Archive, which holds only Gzip (use MVT).
	Raw []byte
	// Gzip is the MVT compressed with gzip; nil for an empty tile.
	Gzip []byte
	// archive is the Archive a tile was read from (nil for a render): it
	// keeps the archive, whose bytes Gzip is, reachable.
	archive *Archive
}

// MVT returns the uncompressed MVT of e: Raw, or Gzip decompressed for a
// tile read from an Archive.
func (e *Encoded) MVT() ([]byte, error) {
	if e.archive == nil || len(e.Gzip) == 0 {
		return e.Raw, nil
	}
	return pmtiles.Gunzip(e.Gzip)
}

// size is what e costs in the cache.
func (e *Encoded) size() int64 { return int64(len(e.Raw) + len(e.Gzip) + entryOverhead) }

// CacheStats are the counters of a Cache since it was made.
type CacheStats struct {
	// Hits counts tiles answered from the cache; Misses tiles rendered
	// (including calls that waited for a render already running: Shared).
	Hits   uint64 `json:"hits"`
	Misses uint64 `json:"misses"`
	Shared uint64 `json:"shared"`
	// Archived counts tiles read from the published Archive (neither
	// rendered nor cached: the archive is in memory already).
	Archived uint64 `json:"archived"`
	// Evictions counts tiles dropped to stay under MaxBytes.
	Evictions uint64 `json:"evictions"`
	// Tiles and Bytes are what the cache holds now; MaxBytes its cap
	// (negative: caching off).
	Tiles    int   `json:"tiles"`
	Bytes    int64 `json:"bytes"`
	MaxBytes int64 `json:"max_bytes"`
	// OversizeCount counts renders of tiles over MaxTileBytes; Oversize lists
	// the first 100 distinct ones.
	OversizeCount uint64     `json:"oversize_count"`
	MaxTileBytes  int        `json:"max_tile_bytes"`
	Oversize      []Oversize `json:"oversize"`
}

// Cache answers tiles of one Source from memory: those of the zooms of its
// Archive, once it has one (SetArchive), read from it; the others rendered
// and gzipped at most once while they stay cached. Concurrent calls for a tile that
// is not cached wait for one render. A Cache belongs to one Source, hence to
// one dataset version: a new version gets a new Cache, so no tile of an old
// version is ever answered for a new one. Safe for concurrent use.
type Cache struct {
	src  *Lazy
	arch atomic.Pointer[Archive]
	opts CacheOptions

	mu      sync.Mutex
	lru     *list.List // of *cacheEntry, most recent first
	entries map[uint64]*list.Element
	calls   map[uint64]*renderCall
	bytes   int64
	over    []Oversize
	seen    map[uint64]bool // oversize tiles listed

	hits, misses, shared, evictions, overCount, archived atomic.Uint64
}

type cacheEntry struct {
	key uint64
	enc *Encoded
}

// renderCall is one render that concurrent callers wait for.
type renderCall struct {
	done chan struct{}
	enc  *Encoded
	err  error
}

// NewCache returns a cache of the tiles of s.
func NewCache(s *Source, opts CacheOptions) *Cache {
	return NewLazyCache(ReadySource(s), opts)
}

// NewLazyCache returns a cache of the tiles of s, which renders waiting
// for s to be built.
func NewLazyCache(s *Lazy, opts CacheOptions) *Cache {
	if opts.MaxBytes == 0 {
		opts.MaxBytes = DefaultCacheBytes
	}
	if opts.MaxTileBytes <= 0 {
		opts.MaxTileBytes = DefaultMaxTileBytes
	}
	return &Cache{
		src: s, opts: opts,
		lru:     list.New(),
		entries: map[uint64]*list.Element{},
		calls:   map[uint64]*renderCall{},
		seen:    map[uint64]bool{},
	}
}

// Source returns the Source the cache renders from, waiting for it to be
// built (nil if its build failed).
func (c *Cache) Source() *Source {
	s, _ := c.src.Source()
	return s
}

// SetArchive makes the cache answer the tiles of a's zooms from a: a
// must hold this cache's version's tiles, as the Source renders them.
func (c *Cache) SetArchive(a *Archive) { c.arch.Store(a) }

// Archive returns the archive set by SetArchive, or nil.
func (c *Cache) Archive() *Archive { return c.arch.Load() }

// tileKey packs z (≤ 22, 5 bits) and x, y (< 2^22 each) into one key.
func tileKey(z, x, y int) uint64 { return uint64(z)<<58 | uint64(x)<<29 | uint64(y) }

// Tile returns tile z/x/y: read from the archive when it covers z, else
// from the cache or rendered by Source.Tile and then cached. The error is
// Source.Tile's (wrapping ErrTileOutOfRange for a tile outside the
// pyramid); errors are not cached. A tile the archive fails to give (a
// damaged directory) is rendered.
func (c *Cache) Tile(z, x, y int) (*Encoded, error) {
	if err := tileInRange(z, x, y); err != nil {
		return nil, err
	}
	if a := c.arch.Load(); a != nil && a.Covers(z) {
		if gz, err := a.Tile(z, x, y); err == nil {
			c.archived.Add(1)
			return &Encoded{Gzip: gz, archive: a}, nil
		}
	}
	k := tileKey(z, x, y)
	c.mu.Lock()
	if el, ok := c.entries[k]; ok {
		c.lru.MoveToFront(el)
		enc := el.Value.(*cacheEntry).enc
		c.mu.Unlock()
		c.hits.Add(1)
		return enc, nil
	}
	c.misses.Add(1)
	if call, ok := c.calls[k]; ok {
		c.mu.Unlock()
		c.shared.Add(1)
		<-call.done
		return call.enc, call.err
	}
	call := &renderCall{done: make(chan struct{})}
	c.calls[k] = call
	c.mu.Unlock()

	call.enc, call.err = c.render(z, x, y)

	c.mu.Lock()
	delete(c.calls, k)
	if call.err == nil && c.opts.MaxBytes > 0 && call.enc.size() <= c.opts.MaxBytes {
		c.entries[k] = c.lru.PushFront(&cacheEntry{key: k, enc: call.enc})
		c.bytes += call.enc.size()
		for c.bytes > c.opts.MaxBytes {
			el := c.lru.Back()
			e := el.Value.(*cacheEntry)
			c.lru.Remove(el)
			delete(c.entries, e.key)
			c.bytes -= e.enc.size()
			c.evictions.Add(1)
		}
	}
	c.mu.Unlock()
	close(call.done)
	return call.enc, call.err
}

// render makes the tile and its gzip, and reports it when oversize.
func (c *Cache) render(z, x, y int) (*Encoded, error) {
	src, err := c.src.Source()
	if err != nil {
		return nil, err
	}
	raw, err := src.Tile(z, x, y)
	if err != nil {
		return nil, err
	}
	enc := &Encoded{Raw: raw}
	if len(raw) > 0 {
		if enc.Gzip, err = Gzip(raw); err != nil {
			return nil, fmt.Errorf("gzip tile %d/%d/%d: %w", z, x, y, err)
		}
	}
	if len(raw) > c.opts.MaxTileBytes {
		o := Oversize{Z: z, X: x, Y: y, Bytes: len(raw), GzipBytes: len(enc.Gzip)}
		c.overCount.Add(1)
		c.mu.Lock()
		if k := tileKey(z, x, y); !c.seen[k] && len(c.over) < maxOversizeKept {
			c.seen[k] = true
			c.over = append(c.over, o)
		}
		c.mu.Unlock()
		if c.opts.OnOversize != nil {
			c.opts.OnOversize(o)
		}
	}
	return enc, nil
}

// Stats returns the cache's counters.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	st := CacheStats{
		Tiles:    len(c.entries),
		Bytes:    c.bytes,
		Oversize: append([]Oversize{}, c.over...),
	}
	c.mu.Unlock()
	st.Hits, st.Misses, st.Shared = c.hits.Load(), c.misses.Load(), c.shared.Load()
	st.Evictions, st.OversizeCount = c.evictions.Load(), c.overCount.Load()
	st.Archived = c.archived.Load()
	st.MaxBytes, st.MaxTileBytes = c.opts.MaxBytes, c.opts.MaxTileBytes
	return st
}

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return w
}}

// Gzip returns b compressed with gzip at the default level (as PMTiles and
// HTTP clients expect for MVT).
func Gzip(b []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(b)/3 + 64)
	w := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(w)
	w.Reset(&out)
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
