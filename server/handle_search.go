package server

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gridmap/gridmap/geo"
	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
)

const (
	searchDefaultLimit = 10
	searchMaxLimit     = 100
	searchMaxQuery     = 100 // runes
)

// Match classes of a search, best first.
const (
	matchExactCode = iota
	matchCodePrefix
	matchNamePrefix // an exact name counts here, ahead of longer names
	matchNameContains
	matchNone
)

// searchIndex finds grids by code or name over every layer of one snapshot.
// The zero value is ready: the entries are built on first use, once.
type searchIndex struct {
	once    sync.Once
	entries []searchEntry
}

// searchEntry is one grid with its search keys, lower-cased.
type searchEntry struct {
	depth int // layer position in the dataset, 0 = coarsest
	layer string
	grid  *geo.Grid
	code  string
	name  string
}

// SearchResult is one grid found by GET /api/v1/search.
type SearchResult struct {
	Layer string `json:"layer"`
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level string `json:"level,omitempty"`
	// Bbox is [west, south, east, north], WGS84 degrees.
	Bbox [4]float64 `json:"bbox"`
	// Center is [lon, lat]: a point inside the grid (owned by it under the
	// boundary rule of package geo), for a label or a marker.
	Center [2]float64 `json:"center"`
}

// build fills the index from d; it is called once, through sync.Once.
func (ix *searchIndex) build(d *geo.Dataset) {
	n := 0
	for _, l := range d.Layers {
		n += len(l.Grids)
	}
	ix.entries = make([]searchEntry, 0, n)
	for depth, l := range d.Layers {
		for _, g := range l.Grids {
			ix.entries = append(ix.entries, searchEntry{
				depth: depth, layer: l.Name, grid: g,
				code: strings.ToLower(g.Code), name: strings.ToLower(g.Name),
			})
		}
	}
}

// search returns up to limit grids matching q (already trimmed, not empty):
// exact code, then code prefix, then name prefix, then name substring; ties
// go to the coarser layer, then (for name matches) the shorter name, then
// the code.
func (ix *searchIndex) search(d *geo.Dataset, q string, limit int) []SearchResult {
	ix.once.Do(func() { ix.build(d) })
	q = strings.ToLower(q)
	type hit struct {
		class int
		e     *searchEntry
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
	out := make([]SearchResult, 0, len(hits))
	for _, h := range hits {
		g := h.e.grid
		b := g.Bound()
		c := interiorPoint(g.Geom)
		out = append(out, SearchResult{
			Layer: h.e.layer, Code: g.Code, Name: g.Name, Level: g.Level,
			Bbox:   [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]},
			Center: [2]float64{c[0], c[1]},
		})
	}
	return out
}

func matchClass(e *searchEntry, q string) int {
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

// interiorPoint returns a point of mp that geo.Contains accepts: the middle
// of the bounding box when the grid owns it, else the middle of the widest
// stretch inside mp along a few horizontal lines across it. A degenerate
// geometry gets its first vertex.
func interiorPoint(mp orb.MultiPolygon) orb.Point {
	b := mp.Bound()
	if c := b.Center(); geo.Contains(mp, c) {
		return c
	}
	var best orb.Point
	bestW := -1.0
	const lines = 9
	h := b.Max[1] - b.Min[1]
	for k := 0; k < lines; k++ {
		// from the middle outwards: 0, +1, -1, +2, -2, ...
		off := (k + 1) / 2
		if k%2 == 0 {
			off = -off
		}
		y := b.Min[1] + h*(0.5+float64(off)/(lines+1))
		xs := crossings(mp, y)
		for i := 0; i+1 < len(xs); i++ {
			w := xs[i+1] - xs[i]
			if w <= bestW {
				continue
			}
			p := orb.Point{(xs[i] + xs[i+1]) / 2, y}
			if geo.Contains(mp, p) {
				best, bestW = p, w
			}
		}
	}
	if bestW > 0 {
		return best
	}
	for _, poly := range mp {
		for _, r := range poly {
			if len(r) > 0 {
				return r[0]
			}
		}
	}
	return b.Center()
}

// crossings returns the sorted longitudes where the rings of mp cross the
// latitude y (half-open in y, as the boundary rule counts them).
func crossings(mp orb.MultiPolygon, y float64) []float64 {
	var xs []float64
	for _, poly := range mp {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				a, c := r[i], r[i+1]
				if (a[1] <= y) == (c[1] <= y) {
					continue
				}
				t := (y - a[1]) / (c[1] - a[1])
				xs = append(xs, a[0]+t*(c[0]-a[0]))
			}
		}
	}
	slices.Sort(xs)
	return xs
}

// handleSearch answers GET /api/v1/search?q=..&limit=..: grids of the
// active version whose code starts with q or whose name holds q, best
// first (see searchIndex.search). limit defaults to 10, at most 100.
func (s *Server) handleSearch(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	if q == "" {
		return badParam("q", "q is required: a grid code or part of a name")
	}
	if n := len([]rune(q)); n > searchMaxQuery {
		return badParam("q", "q has %d characters, at most %d", n, searchMaxQuery)
	}
	limit := searchDefaultLimit
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > searchMaxLimit {
			return badParam("limit", "limit=%q is not an integer from 1 to %d", v, searchMaxLimit)
		}
		limit = n
	}
	snap, err := s.snap()
	if err != nil {
		return err
	}
	res := snap.search.search(snap.data, q, limit)
	c.Response().Header().Set("X-Gridmap-Version", snap.manifest.ID)
	return c.JSON(http.StatusOK, map[string]any{
		"version": snap.manifest.ID,
		"query":   q,
		"results": res,
	})
}
