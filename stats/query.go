package stats

import (
	"math"
	"slices"
	"time"

	"github.com/gridmap/gridmap/incident"
)

// chunkRows is how many rows a query scans per hold of the read lock, so
// that a Put waits at most one chunk rather than a whole query: a
// sixteenth of BenchmarkQuery/towns over 1,000,000 rows, 2–4 ms on the
// 2-core machine, instead of 37–57 ms. A query therefore sees each row as
// it was when its chunk was scanned.
const chunkRows = 1 << 16

// check returns a *incident.FieldError for a query that asks for neither
// or both of Layer and Grid, a series other than day or week, or From not
// before To.
func (q *Query) check() error {
	switch {
	case (q.Layer == "") == (q.Grid == ""):
		return &incident.FieldError{Field: "layer", Msg: "give exactly one of layer and grid"}
	case q.Series != "" && q.Series != "day" && q.Series != "week":
		return &incident.FieldError{Field: "series", Msg: "must be day or week, not " + q.Series}
	case !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To):
		return &incident.FieldError{Field: "from", Msg: "must be before to"}
	}
	return nil
}

// Query answers q; an unknown layer or grid gives empty figures, a bad
// query (neither or both of Layer and Grid, Series not day/week, From not
// before To) an *incident.FieldError.
//
// The incidents selected are those reported in [From, To) of the
// categories and sources asked for. A Layer query counts each in Total and
// in the Grids entry of its chain's grid of that layer (none when its chain
// lacks the layer). A Grid query selects the incidents whose chain holds
// the grid (Total and Grid then agree) and counts each also in the child
// one step finer in its chain. A series has one Point per day or week from
// the one of the earliest selected incident to that of the latest, empty
// steps included.
func (l *Ledger) Query(q Query) (Result, error) {
	if err := q.check(); err != nil {
		return Result{}, err
	}
	l.mu.RLock()
	s := l.newScan(&q)
	n := len(l.rows.id)
	l.mu.RUnlock()
	for at := 0; at < n; at += chunkRows {
		l.mu.RLock()
		s.rows(l, at, min(at+chunkRows, n))
		l.mu.RUnlock()
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	defer s.release()
	return s.result(l, &q), nil
}

// scan is one query under way: its filters resolved to interned numbers
// and its groups.
type scan struct {
	from, to   int64  // unix seconds, [from, to)
	categories []bool // by number; nil: all
	sources    []bool
	// layer is the layer of a Layer query (-1: unknown); grid the grid id
	// of a Grid query (gridQuery; -1: unknown, which selects nothing).
	layer     int
	grid      int32
	gridQuery bool
	// groupOf maps a grid id to its group in byGrid (-1: none yet);
	// gridOf maps back. The first group of a Layer query is that of the
	// incidents whose chain lacks the layer (grid id -1); that of a Grid
	// query is the grid's.
	groupOf []int32
	gridOf  []int32
	// between is the group of a Grid query's incidents in none of the
	// grid's children (-1: none yet).
	between int
	byGrid  *groups
	series  *groups
	steps   []int64 // series step starts, unix seconds; last: end
	loc     *time.Location
}

// newScan resolves q against the names. The caller holds mu.
func (l *Ledger) newScan(q *Query) *scan {
	s := &scan{from: math.MinInt64, to: math.MaxInt64, layer: -1, grid: -1, between: -1,
		byGrid: newGroups(0), loc: q.Location}
	if !q.From.IsZero() {
		s.from = q.From.Unix()
	}
	if !q.To.IsZero() {
		s.to = q.To.Unix()
	}
	s.categories = selection(&l.names.category, q.Category)
	s.sources = selection(&l.names.source, q.Source)
	if q.Layer != "" {
		s.gridOf = []int32{-1}
		s.byGrid.grow(0)
		if id, ok := l.names.layer.lookup(q.Layer); ok {
			s.layer = int(id)
			s.reserve(len(l.names.gridCode), len(l.names.layerGrids[id]))
		}
	} else {
		s.gridQuery = true
		if g, ok := l.names.findGrid(q.Grid); ok {
			s.grid = g
			s.group(g)
		}
	}
	if q.Series != "" {
		if s.loc == nil {
			s.loc = shanghai()
		}
		s.steps = steps(q.Series, max(s.from, l.minReported), min(s.to-1, l.maxReported), s.loc)
		s.series = newGroups(max(len(s.steps)-1, 0))
	}
	return s
}

// reserve sizes s's groups for grid ids below ids, at most n of them
// found: growing them group by group cost about a tenth of a query by
// micro grid (7,123 groups of 256 bytes each).
func (s *scan) reserve(ids, n int) {
	s.groupOf = slices.Grow(s.groupOf, ids)[:ids]
	for i := range s.groupOf {
		s.groupOf[i] = -1
	}
	s.gridOf = slices.Grow(s.gridOf, n+1)
	s.byGrid.accs = slices.Grow(s.byGrid.accs, n+1)
}

// selection returns the set of the numbers of names, or nil (all) when
// names is empty; names never interned match nothing.
func selection(t *table, names []string) []bool {
	if len(names) == 0 {
		return nil
	}
	set := make([]bool, len(t.list))
	for _, n := range names {
		if i, ok := t.lookup(n); ok {
			set[i] = true
		}
	}
	return set
}

// release gives back the scratch of s's groups.
func (s *scan) release() {
	s.byGrid.release()
	if s.series != nil {
		s.series.release()
	}
}

// in reports whether number i is in set (nil: all).
func in(set []bool, i uint16) bool {
	return set == nil || (int(i) < len(set) && set[i])
}

// group returns the group of grid id g in byGrid, adding it when new.
func (s *scan) group(g int32) int {
	for int(g) >= len(s.groupOf) {
		s.groupOf = append(s.groupOf, -1)
	}
	if s.groupOf[g] < 0 {
		s.groupOf[g] = int32(len(s.gridOf))
		s.gridOf = append(s.gridOf, g)
		s.byGrid.grow(len(s.gridOf) - 1)
	}
	return int(s.groupOf[g])
}

// betweenGroup returns the group of a Grid query's incidents in none of
// the grid's children, adding it when new.
func (s *scan) betweenGroup() int {
	if s.between < 0 {
		s.between = len(s.gridOf)
		s.gridOf = append(s.gridOf, -1)
		s.byGrid.grow(s.between)
	}
	return s.between
}

// rows counts rows [from, to) of l. The caller holds mu.
func (s *scan) rows(l *Ledger, from, to int) {
	c := &l.rows
	layerOf := l.names.gridLayer
	if s.gridQuery && s.grid < 0 {
		return
	}
	for r := from; r < to; r++ {
		t := c.reported[r]
		if t < s.from || t >= s.to || !in(s.categories, c.category[r]) || !in(s.sources, c.source[r]) {
			continue
		}
		chain := c.chain(r)
		switch {
		case s.gridQuery:
			i := slices.Index(chain, s.grid)
			if i < 0 {
				continue
			}
			s.byGrid.add(0, c, r)
			if i > 0 {
				s.byGrid.add(s.group(chain[i-1]), c, r)
			} else {
				s.byGrid.add(s.betweenGroup(), c, r)
			}
		default:
			g := 0
			for _, id := range chain {
				if int(layerOf[id]) == s.layer {
					g = s.group(id)
					break
				}
			}
			s.byGrid.add(g, c, r)
		}
		if s.series != nil {
			if i := step(s.steps, t); i >= 0 {
				s.series.add(i, c, r)
			}
		}
	}
}
