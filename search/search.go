// Package search finds grids of a dataset by code or name.
package search

import (
	"sort"
	"strings"
	"sync"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/label"
	"github.com/paulmach/orb"
)

// Match classes of a search, best first.
const (
	matchExactCode = iota
	matchCodePrefix
	matchNamePrefix // an exact name counts here, ahead of longer names
	matchNameContains
	matchNone
)

// Index finds grids by code or name over every layer of one dataset. Its
// entries are built on first use, once; it is safe for concurrent use.
type Index struct {
	data    *geo.Dataset
	once    sync.Once
	entries []entry
}

// entry is one grid with its search keys, lower-cased.
type entry struct {
	depth int // layer position in the dataset, 0 = coarsest
	layer string
	grid  *geo.Grid
	code  string
	name  string
}

// Result is one grid found.
type Result struct {
	Layer string `json:"layer"`
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level string `json:"level,omitempty"`
	// Bbox is [west, south, east, north], WGS84 degrees.
	Bbox [4]float64 `json:"bbox"`
	// Center is [lon, lat], WGS84 degrees: a point inside the grid (owned
	// by it under the boundary rule of package geo), for a label or a
	// marker (see Center).
	Center [2]float64 `json:"center"`
}

// New returns the search index of d; nothing is built until the first
// search.
func New(d *geo.Dataset) *Index { return &Index{data: d} }

// build fills the index; it is called once, through sync.Once.
func (ix *Index) build() {
	n := 0
	for _, l := range ix.data.Layers {
		n += len(l.Grids)
	}
	ix.entries = make([]entry, 0, n)
	for depth, l := range ix.data.Layers {
		for _, g := range l.Grids {
			ix.entries = append(ix.entries, entry{
				depth: depth, layer: l.Name, grid: g,
				code: strings.ToLower(g.Code), name: strings.ToLower(g.Name),
			})
		}
	}
}

// Search returns up to limit grids matching q (trimmed, not empty): exact
// code, then code prefix, then name prefix, then name substring, case
// folded; ties go to the coarser layer, then (for name matches) the
// shorter name, then the code.
func (ix *Index) Search(q string, limit int) []Result {
	ix.once.Do(ix.build)
	q = strings.ToLower(q)
	type hit struct {
		class int
		e     *entry
	}
	var hits []hit
	for i := range ix.entries {
		e := &ix.entries[i]
		if c := matchClass(e, q); c != matchNone {
			hits = append(hits, hit{c, e})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.class != b.class {
			return a.class < b.class
		}
		if a.e.depth != b.e.depth {
			return a.e.depth < b.e.depth
		}
		if a.class >= matchNamePrefix && len(a.e.name) != len(b.e.name) {
			return len(a.e.name) < len(b.e.name)
		}
		return a.e.code < b.e.code
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Result, 0, len(hits))
	for _, h := range hits {
		g := h.e.grid
		b := g.Bound()
		c := Center(g.Geom)
		out = append(out, Result{
			Layer: h.e.layer, Code: g.Code, Name: g.Name, Level: g.Level,
			Bbox:   [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]},
			Center: [2]float64{c[0], c[1]},
		})
	}
	return out
}

func matchClass(e *entry, q string) int {
	switch {
	case e.code == q:
		return matchExactCode
	case strings.HasPrefix(e.code, q):
		return matchCodePrefix
	case strings.HasPrefix(e.name, q):
		return matchNamePrefix
	case strings.Contains(e.name, q):
		return matchNameContains
	}
	return matchNone
}

// Center returns the point of mp (WGS84 lon/lat) where its label goes: its
// pole of inaccessibility in lon/lat (label.Pole), which geo.Contains
// accepts whenever mp has area. A degenerate geometry gets its first
// vertex.
func Center(mp orb.MultiPolygon) orb.Point {
	p, _ := label.Pole(mp, 0)
	return p
}
