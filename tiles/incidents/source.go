// Package incidents draws incidents as a vector-tile layer: aggregated per
// grid at low zoom (one point per grid at its label point, with counts),
// the incidents themselves when zoomed in, so that a year of events draws
// at once. It is an incident.Sink.
//
// A Source keeps, per incident, 32 bytes: its point (WGS84 lon/lat stored
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
)

// DefaultPointZoom is the default Options.PointZoom: from zoom 14 (tiles
// of about 2.4 km at Jiangyin's latitude, where the boundary tiles first
// draw micro grids) every incident is a point; below it, grids are.
const DefaultPointZoom = 14

// Extent is the tiles' extent (coordinates per tile side), as the
// boundary tiles'.
const Extent = 4096

// Options configure a Source. The zero value means the defaults.
type Options struct {
	// PointZoom is the first zoom whose tiles hold one point per
	// incident; tiles of lower zooms hold one point per grid. 0:
	// DefaultPointZoom.
	PointZoom int
}

// Source holds the incident points for tiles; safe for concurrent use.
type Source struct {
	pointZoom int
	// gen counts the changes (Put), for ETags.
	gen atomic.Uint64

	mu      sync.RWMutex
	points  []point
	byID    map[incident.ID]int32
	buckets map[uint64][]int32 // tile of pointZoom → indices in points
	cats    dict               // categories
	srcs    dict               // sources
	stats   dict               // statuses
	grids   gridTable

	// index is the label index of the last snapshot drawn (grids.go);
	// indexMu serialises building a new one.
	index   atomic.Pointer[gridIndex]
	indexMu sync.Mutex
}

// point is one incident as the tiles need it.
type point struct {
	id       incident.ID
	at       fixed
	chain    uint32 // gridTable.chains
	category uint16 // Source.cats
	source   uint16 // Source.srcs
	status   uint8  // Source.stats
	overdue  bool
}

// New returns an empty source with the default options.
func New() *Source { return NewWith(Options{}) }

// NewWith returns an empty source with options o.
func NewWith(o Options) *Source {
	if o.PointZoom <= 0 {
		o.PointZoom = DefaultPointZoom
	}
	o.PointZoom = min(o.PointZoom, 32)
	return &Source{
		pointZoom: o.PointZoom,
		byID:      map[incident.ID]int32{},
		buckets:   map[uint64][]int32{},
		grids:     newGridTable(),
	}
}

// PointZoom returns the first zoom drawn as one point per incident.
func (s *Source) PointZoom() int { return s.pointZoom }

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
		status:   uint8(min(s.stats.id(string(inc.Status)), 255)),
		overdue:  inc.Overdue,
	}
	key := s.bucket(p.at)
	i, ok := s.byID[inc.ID]
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
		s.byID[inc.ID] = i
		s.buckets[key] = append(s.buckets[key], i)
	}
	s.grids.count(p, +1)
	s.gen.Add(1)
}

// bucket returns the key of the tile of pointZoom that holds at.
func (s *Source) bucket(at fixed) uint64 {
	sh := 32 - s.pointZoom
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
// seen. Past 65,535 names, the rest share the last number.
type dict struct {
	names []string
	ids   map[string]uint16
}

func (d *dict) id(name string) uint16 {
	if i, ok := d.ids[name]; ok {
		return i
	}
	if len(d.names) == 1<<16-1 {
		return 1<<16 - 2
	}
	if d.ids == nil {
		d.ids = map[string]uint16{}
	}
	i := uint16(len(d.names))
	d.names = append(d.names, name)
	d.ids[name] = i
	return i
}
