package stats

import (
	"math"
	"sync"

	"github.com/gridmap/gridmap/incident"
)

// noTime marks a row without a handled time.
const noTime = math.MinInt64

// Ledger holds one compact row per incident and answers figures from them.
// It is an incident.Sink and an incident.Counter, safe for concurrent use.
//
// The rows are columns (one slice per field, indexed by row), so that a
// query scans small contiguous arrays: about 40 bytes an incident. Names
// (statuses, categories, sources, layers, grids) are interned to small
// integers; each row's chain is a run of grid ids in one arena, finest
// first.
type Ledger struct {
	mu    sync.RWMutex
	byID  map[incident.ID]int32
	rows  columns
	names names
	// live holds the wall's counts of each grid id (see counts.go).
	live []liveCount
	// minReported and maxReported bound every non-zero ReportedAt put
	// (unix s): the span of a series.
	minReported, maxReported int64
}

// columns are the rows of a Ledger, one slice per field.
type columns struct {
	id       []incident.ID
	reported []int64 // unix seconds
	handled  []int64 // unix seconds, noTime: not handled
	status   []uint8
	category []uint16
	source   []uint16
	rating   []uint8
	overdue  []bool
	chainAt  []uint32 // start of the row's chain in arena
	chainLen []uint8
	arena    []int32 // grid ids, each row's chain finest first
}

// NewLedger returns an empty ledger.
func NewLedger() *Ledger {
	return &Ledger{
		byID:        make(map[incident.ID]int32),
		names:       newNames(),
		minReported: math.MaxInt64,
		maxReported: math.MinInt64,
	}
}

// Put adds inc, or replaces the row of the same ID. It costs O(len(chain))
// besides the map lookup: the row's fields and the live counts of the
// grids of its old and new chain.
func (l *Ledger) Put(inc incident.Incident) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := &l.rows
	r, ok := l.byID[inc.ID]
	if ok {
		l.countRow(r, -1)
	} else {
		r = int32(len(c.id))
		l.byID[inc.ID] = r
		c.id = append(c.id, inc.ID)
		c.reported = append(c.reported, 0)
		c.handled = append(c.handled, 0)
		c.status = append(c.status, 0)
		c.category = append(c.category, 0)
		c.source = append(c.source, 0)
		c.rating = append(c.rating, 0)
		c.overdue = append(c.overdue, false)
		c.chainAt = append(c.chainAt, 0)
		c.chainLen = append(c.chainLen, 0)
	}
	rep := inc.ReportedAt.Unix()
	c.reported[r] = rep
	if !inc.ReportedAt.IsZero() { // a zero time would stretch every series to year 1
		l.minReported = min(l.minReported, rep)
		l.maxReported = max(l.maxReported, rep)
	}
	c.handled[r] = noTime
	if !inc.HandledAt.IsZero() {
		c.handled[r] = inc.HandledAt.Unix()
	}
	c.status[r] = l.names.status(inc.Status)
	c.category[r] = l.names.category.id(inc.Category)
	c.source[r] = l.names.source.id(inc.Source)
	c.rating[r] = uint8(min(max(inc.Rating, 0), 255))
	c.overdue[r] = inc.Overdue
	l.putChain(r, inc.Chain)
	l.countRow(r, +1)
}

// putChain stores the row's chain: in place when its length is unchanged,
// else appended to the arena (the old run is left unused).
func (l *Ledger) putChain(r int32, chain []incident.Link) {
	c := &l.rows
	n := min(len(chain), math.MaxUint8)
	at := c.chainAt[r]
	if int(c.chainLen[r]) != n {
		at = uint32(len(c.arena))
		c.arena = append(c.arena, make([]int32, n)...)
	}
	for i, k := range chain[:n] {
		g := l.names.grid(k)
		c.arena[int(at)+i] = g
		if g >= int32(len(l.live)) {
			l.live = append(l.live, make([]liveCount, int(g)+1-len(l.live))...)
		}
	}
	c.chainAt[r], c.chainLen[r] = at, uint8(n)
}

// chain returns row r's grid ids, finest first. The caller holds mu.
func (c *columns) chain(r int) []int32 {
	at := int(c.chainAt[r])
	return c.arena[at : at+int(c.chainLen[r])]
}

// Len returns how many incidents the ledger holds.
func (l *Ledger) Len() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.rows.id)
}
