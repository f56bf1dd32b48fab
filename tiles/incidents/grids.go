package incidents

import (
	"cmp"
	"slices"
	"sort"

	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/version"
)

// gridIndex is what the aggregated tiles need of one snapshot: per layer,
// its zoom range in the boundary tiles and its grids' label points sorted
// by Morton key, so that the grids of a tile are one run of the slice.
type gridIndex struct {
	snap   *version.Snapshot
	layers []layerIndex // coarse → fine
	// pointZoom is the first zoom drawn as incidents.
	pointZoom int
}

// layerIndex is one layer of a gridIndex.
type layerIndex struct {
	name             string
	minZoom, maxZoom int
	labels           []gridLabel
}

// gridLabel is one grid's point in the aggregated tiles.
type gridLabel struct {
	key  uint64 // at.morton()
	at   fixed
	grid uint32 // in the Source's gridTable
	fid  uint64 // tiles.FeatureID, the id of the grid in the boundary tiles
	code string
	name string
}

// gridsOf returns the index of snap, building it on the first call for
// that snapshot (only the last snapshot's is kept).
func (s *Source) gridsOf(snap *version.Snapshot) *gridIndex {
	if ix := s.index.Load(); ix != nil && ix.snap == snap {
		return ix
	}
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	if ix := s.index.Load(); ix != nil && ix.snap == snap {
		return ix
	}
	ix := s.buildIndex(snap)
	s.index.Store(ix)
	return ix
}

// buildIndex makes the gridIndex of snap from its boundary tiles' layer
// zooms and label points (tiles.Source.Labels).
func (s *Source) buildIndex(snap *version.Snapshot) *gridIndex {
	ix := &gridIndex{snap: snap, pointZoom: s.bucketZoom}
	if snap == nil || snap.Tiles == nil {
		return ix
	}
	// the label points are the Source's: wait for it when it is being
	// built behind published tiles
	src, err := snap.Tiles.Source()
	if err != nil {
		return ix
	}
	defer func() {
		if s.pointZoom == 0 && len(ix.layers) > 0 {
			finest := ix.layers[len(ix.layers)-1].minZoom
			ix.pointZoom = min(max(DefaultPointZoom, finest+1), tiles.MaxZoom)
		}
	}()
	for _, lz := range src.LayerZooms() {
		if lz.Partial {
			// buildings do not tile their grid: an incident in the street
			// between them would be in no aggregate
			continue
		}
		grids, pts := src.Labels(lz.Name)
		li := layerIndex{name: lz.Name, minZoom: lz.MinZoom, maxZoom: lz.MaxZoom, labels: make([]gridLabel, 0, len(grids))}
		s.mu.Lock()
		for i, g := range grids {
			if g.Geom == nil {
				continue // no label point
			}
			at := fixedOfUnit(pts[i])
			li.labels = append(li.labels, gridLabel{key: at.morton(), at: at, grid: s.grids.grid(lz.Name, g.Code),
				fid: tiles.FeatureID(lz.Name, g.Code), code: g.Code, name: g.Name})
		}
		s.mu.Unlock()
		slices.SortFunc(li.labels, func(a, b gridLabel) int { return cmp.Compare(a.key, b.key) })
		ix.layers = append(ix.layers, li)
	}
	return ix
}

// layerAt returns the layer aggregated at zoom z: the finest layer the
// boundary tiles draw at z, or nil when they draw none.
func (ix *gridIndex) layerAt(z int) *layerIndex {
	for i := len(ix.layers) - 1; i >= 0; i-- {
		if l := &ix.layers[i]; l.minZoom <= z && z <= l.maxZoom {
			return l
		}
	}
	return nil
}

// in returns the grids of l whose label point lies in tile z/x/y.
func (l *layerIndex) in(z, x, y int) []gridLabel {
	lo, hi := mortonRange(z, x, y)
	i := sort.Search(len(l.labels), func(i int) bool { return l.labels[i].key >= lo })
	j := sort.Search(len(l.labels), func(j int) bool { return l.labels[j].key > hi })
	return l.labels[i:j]
}
