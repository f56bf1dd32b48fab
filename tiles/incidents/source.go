// Package incidents draws incidents as a vector-tile layer: aggregated per
// grid at low zoom (one point per grid at its label point, with counts),
// the incidents themselves when zoomed in, so that a year of events draws
// at once. It is an incident.Sink.
//
// A Source keeps, per incident, 24 bytes: its point (WGS84 lon/lat stored
// as 32-bit fixed point of the unit Mercator square), status, category,
// source, overdue flag and chain (interned: incidents of one grid share
// it). Points are bucketed by the tile of PointZoom that holds them; per
// grid code it keeps counts by status and category, so that an aggregated
// tile reads counts, not incidents.
package incidents

import (
	"sync"
	"sync/atomic"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/version"
)

// DefaultPointZoom is the least zoom drawn as incidents when
// Options.PointZoom is 0: zoom 14, tiles of about 2.1 km at Jiangyin's
// latitude. The zoom chosen is the later of it and the zoom after the one
// where the boundary tiles first draw the finest layer, so that each layer
// has at least one zoom of its own aggregates: 15 for Jiangyin, whose
// micro grids start at 14. With a year of 1M incidents there, the densest
// z14 tile would hold about 49,000 of them (1.7 MB); its 340 micro-grid
// aggregates take 34 kB, and the densest z15 tile holds 12,400 incidents
// (0.42 MB).
const DefaultPointZoom = 14

// Extent is the tiles' extent (coordinates per tile side), as the
// boundary tiles'.
const Extent = 4096

// Options configure a Source. The zero value means the defaults.
type Options struct {
	// PointZoom is the first zoom whose tiles hold one point per
	// incident; tiles of lower zooms hold one point per grid. 0: chosen
	// per snapshot (see DefaultPointZoom).
	PointZoom int
}

// Source holds the incident points for tiles; safe for concurrent use.
type Source struct {
	// pointZoom is Options.PointZoom (0: per snapshot); bucketZoom the
	// zoom of the tiles points are bucketed by, at most any point zoom.
	pointZoom, bucketZoom int
	// gen counts the changes (Put), for ETags.
	gen atomic.Uint64

	mu      sync.RWMutex
	points  []point
	ids     idIndex
	buckets map[uint64][]int32 // tile of bucketZoom → indices in points
	cats    dict               // categories
	srcs    dict               // sources
	stats   dict               // statuses
	grids   gridTable

	// index is the label index of the last snapshot drawn (grids.go);
	// indexMu serialises building a new one.
	index   atomic.Pointer[gridIndex]
	indexMu sync.Mutex
}

// Source is told of every incident by the incident service.
var _ incident.Sink = (*Source)(nil)

// point is one incident as the tiles need it: 24 bytes.
type point struct {
	id       incident.ID
	at       fixed
	chain    uint32 // gridTable.chains
	category uint8  // Source.cats
	source   uint8  // Source.srcs
	status   uint8  // Source.stats
	overdue  bool
}

// New returns an empty source with the default options.
func New() *Source { return NewWith(Options{}) }

// NewWith returns an empty source with options o.
func NewWith(o Options) *Source {
	pz := min(max(o.PointZoom, 0), tiles.MaxZoom)
	bz := DefaultPointZoom
	if pz > 0 {
		bz = pz
	}
	return &Source{
		pointZoom:  pz,
		bucketZoom: bz,
		ids:        idIndex{sparse: map[incident.ID]int32{}},
		buckets:    map[uint64][]int32{},
		grids:      newGridTable(),
	}
}

// PointZoom returns the first zoom drawn as one point per incident over
// the grids of snap (see Options.PointZoom).
func (s *Source) PointZoom(snap *version.Snapshot) int { return s.gridsOf(snap).pointZoom }

// Generation returns a number that changes with every Put: a tile drawn at
// one generation is the same at that generation (for a snapshot, zoom,
// tile and filter).
func (s *Source) Generation() uint64 { return s.gen.Load() }

// Len returns the number of incidents held.
func (s *Source) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.points)
}

// Put adds inc or replaces the point of the same ID: its point (Lon, Lat,
// WGS84), status, category, source, overdue flag and the codes of its
// chain. It implements incident.Sink.
func (s *Source) Put(inc incident.Incident) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := point{
		id:       inc.ID,
		at:       fixedOf([2]float64{inc.Lon, inc.Lat}),
		category: s.cats.id(inc.Category),
		source:   s.srcs.id(inc.Source),
		status:   s.stats.id(string(inc.Status)),
		overdue:  inc.Overdue,
	}
	key := s.bucket(p.at)
	i, ok := s.ids.get(inc.ID)
	if ok {
		old := s.points[i]
		p.chain = s.grids.chainOf(inc.Chain, old.chain)
		s.grids.count(old, -1)
		if oldKey := s.bucket(old.at); oldKey != key {
			s.unbucket(oldKey, i)
			s.buckets[key] = append(s.buckets[key], i)
		}
		s.points[i] = p
	} else {
		p.chain = s.grids.chainOf(inc.Chain, noChain)
		i = int32(len(s.points))
		s.points = append(s.points, p)
		s.ids.set(inc.ID, i, len(s.points))
		s.buckets[key] = append(s.buckets[key], i)
	}
	s.grids.count(p, +1)
	s.gen.Add(1)
}

// bucket returns the key of the tile of bucketZoom that holds at.
func (s *Source) bucket(at fixed) uint64 {
	sh := 32 - s.bucketZoom
	return uint64(at.x>>sh)<<32 | uint64(at.y>>sh)
}

// unbucket removes point index i from the bucket of key.
func (s *Source) unbucket(key uint64, i int32) {
	b := s.buckets[key]
	for j, v := range b {
		if v == i {
			b[j] = b[len(b)-1]
			b = b[:len(b)-1]
			break
		}
	}
	if len(b) == 0 {
		delete(s.buckets, key)
		return
	}
	s.buckets[key] = b
}

// dict numbers strings (categories, sources, statuses) in the order first
// seen. The 256th name and those after it share number 255, named
// Overflow.
type dict struct {
	names []string
	ids   map[string]uint8
}

// Overflow is the name a tile gives to the 256th and later categories,
// sources or statuses of a source (there are a handful of each).
const Overflow = "(other)"

func (d *dict) id(name string) uint8 {
	if i, ok := d.ids[name]; ok {
		return i
	}
	switch len(d.names) {
	case 256:
		return 255
	case 255:
		name = Overflow
	}
	if d.ids == nil {
		d.ids = map[string]uint8{}
	}
	i := uint8(len(d.names))
	d.names = append(d.names, name)
	d.ids[name] = i
	return i
}

// idIndex finds an incident's place in Source.points by its id: in a
// slice indexed by id while ids are dense (stores number them 1, 2, 3…:
// 4 bytes an incident), in a map for the rest.
type idIndex struct {
	dense  []int32 // dense[id] = place + 1; 0: none
	sparse map[incident.ID]int32
}

// get returns the place of id.
func (x *idIndex) get(id incident.ID) (int32, bool) {
	if id >= 0 && id < incident.ID(len(x.dense)) {
		if i := x.dense[id] - 1; i >= 0 {
			return i, true
		}
	}
	i, ok := x.sparse[id] // also an id set before dense reached it
	return i, ok
}

// set records place i of id, a new id; n is the number of points held.
// An id up to twice n (and at least 2^16) goes to the dense slice.
func (x *idIndex) set(id incident.ID, i int32, n int) {
	if id >= 0 && id < incident.ID(max(2*n, 1<<16)) {
		if id >= incident.ID(len(x.dense)) {
			x.dense = append(x.dense, make([]int32, int(id)+1-len(x.dense))...)
		}
		x.dense[id] = i + 1
		return
	}
	x.sparse[id] = i
}
