package incidents

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/version"
)

// LayerName is the name of the MVT layer of incident tiles.
const LayerName = "incidents"

// Tile returns the MVT tile z/x/y of the incidents (layer "incidents"),
// drawn over the grids of snap; nil when it is empty. See TileAt.
func (s *Source) Tile(snap *version.Snapshot, z, x, y int) ([]byte, error) {
	b, _, err := s.TileAt(snap, z, x, y, Filter{})
	return b, err
}

// TileAt returns the uncompressed MVT tile z/x/y (XYZ scheme) of the
// incidents that f lets through, and the Generation it shows; the tile is
// nil when it holds no feature.
//
// Below PointZoom(snap) the tile has one Point per grid of the finest layer the
// boundary tiles of snap draw at z whose label point (tiles.Source.Labels)
// lies in the tile — not its buffer, so each grid is in exactly one tile
// of a zoom — and that has at least one incident; its id is the grid's
// boundary feature id (tiles.FeatureID) and its properties code, layer,
// name, count, open (not closed or rejected) and overdue (marked overdue,
// open or not). A grid counts the incidents whose chain names its layer
// and code, whatever version located them.
//
// From PointZoom(snap) on it has one Point per incident in the tile (not its
// buffer), in id order: id (also the feature id), status, category,
// source, overdue (bool).
//
// The error wraps tiles.ErrTileOutOfRange for z, x or y outside the
// pyramid.
func (s *Source) TileAt(snap *version.Snapshot, z, x, y int, f Filter) ([]byte, uint64, error) {
	if z < 0 || z > tiles.MaxZoom {
		return nil, 0, fmt.Errorf("%w: zoom %d not in 0..%d", tiles.ErrTileOutOfRange, z, tiles.MaxZoom)
	}
	if n := 1 << z; x < 0 || x >= n || y < 0 || y >= n {
		return nil, 0, fmt.Errorf("%w: x %d, y %d not in 0..%d at zoom %d", tiles.ErrTileOutOfRange, x, y, n-1, z)
	}
	var (
		enc encoder
		gen uint64
	)
	if ix := s.gridsOf(snap); z >= ix.pointZoom {
		gen = s.incidentPoints(&enc, z, x, y, f)
	} else {
		gen = s.gridPoints(&enc, ix.layerAt(z), z, x, y, f)
	}
	b, err := enc.marshal()
	if err != nil {
		return nil, 0, fmt.Errorf("encode incident tile %d/%d/%d: %w", z, x, y, err)
	}
	return b, gen, nil
}

// gridPoints adds to enc the aggregated points of tile z/x/y and returns
// the generation they show.
func (s *Source) gridPoints(enc *encoder, l *layerIndex, z, x, y int, f Filter) uint64 {
	type drawn struct {
		g  *gridLabel
		fg figures
	}
	var in []drawn
	s.mu.RLock()
	gen := s.gen.Load()
	if m := s.matcher(f); l != nil && !m.none {
		final := s.finalStatuses()
		grids := l.in(z, x, y)
		for i := range grids {
			if fg := s.grids.sum(grids[i].grid, &m, final); fg.count > 0 {
				in = append(in, drawn{&grids[i], fg})
			}
		}
	}
	s.mu.RUnlock()
	enc.reserve(len(in), gridKeys)
	for _, d := range in {
		px, py := d.g.at.tilePoint(z, x, y, Extent)
		enc.grid(d.g.fid, px, py, d.g.code, l.name, d.g.name, d.fg)
	}
	return gen
}

// incidentPoints adds to enc the incidents of tile z/x/y (z ≥ bucketZoom)
// and returns the generation they show.
func (s *Source) incidentPoints(enc *encoder, z, x, y int, f Filter) uint64 {
	sh := z - s.bucketZoom
	key := uint64(x>>sh)<<32 | uint64(y>>sh)
	var in []point
	s.mu.RLock()
	gen := s.gen.Load()
	m := s.matcher(f)
	if !m.none {
		for _, i := range s.buckets[key] {
			if p := s.points[i]; p.at.in(z, x, y) && m.ok(p.status, p.category) {
				in = append(in, p)
			}
		}
	}
	stats, cats, srcs := s.stats.names, s.cats.names, s.srcs.names
	s.mu.RUnlock()
	slices.SortFunc(in, func(a, b point) int { return cmp.Compare(a.id, b.id) })
	enc.reserve(len(in), incidentKeys)
	for _, p := range in {
		px, py := p.at.tilePoint(z, x, y, Extent)
		enc.incident(p.id, px, py, stats[p.status], cats[p.category], srcs[p.source], p.overdue)
	}
	return gen
}

// finalStatuses tells, by status number, whether a status ends the loop;
// s.mu is held.
func (s *Source) finalStatuses() []bool {
	final := make([]bool, len(s.stats.names))
	for i, n := range s.stats.names {
		final[i] = incident.Status(n).Final()
	}
	return final
}
