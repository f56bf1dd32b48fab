package stats

import (
	"math"
	"sync"
)

// groups sum the rows of a query into groups (grids or series steps), with
// each group's handling times kept for its percentiles.
type groups struct {
	accs []acc
	*scratch
}

// scratch holds the handling times of one groups: durGroup and durSecs
// one handled row each (its group, its handling time in seconds, see
// handlingSecs), sorted
// the same times by group. Its slices are kept in scratchPool for the
// next query, which would otherwise grow them anew (about 40 MB of
// allocation for 1,000,000 rows).
type scratch struct {
	durGroup []int32
	durSecs  []int32
	sorted   []int32
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func newGroups(n int) *groups {
	sc := scratchPool.Get().(*scratch)
	sc.durGroup, sc.durSecs, sc.sorted = sc.durGroup[:0], sc.durSecs[:0], sc.sorted[:0]
	return &groups{accs: make([]acc, n), scratch: sc}
}

// release gives s's scratch back to the pool; s is not used after.
func (s *groups) release() {
	scratchPool.Put(s.scratch)
	s.scratch = nil
}

// grow makes room for group g.
func (s *groups) grow(g int) {
	for g >= len(s.accs) {
		s.accs = append(s.accs, acc{})
	}
}

// add counts row r of c into group g. The caller holds the ledger's lock.
func (s *groups) add(g int, c *columns, r int) {
	a := &s.accs[g]
	a.add(c, r)
	if h := c.handled[r]; h != noTime {
		a.handled++
		s.durGroup = append(s.durGroup, int32(g))
		s.durSecs = append(s.durSecs, handlingSecs(h-c.reported[r]))
	}
}

// percentiles returns the median and p90 handling time of every group:
// the handling times are sorted by group (a counting sort into s.sorted),
// then each group's run is partly ordered by selection. s.sorted keeps
// every handling time, for the percentiles of all groups together.
func (s *groups) percentiles() (p50, p90 []int64) {
	at := make([]int, len(s.accs)+1)
	for g := range s.accs {
		at[g+1] = at[g] + s.accs[g].handled
	}
	next := append([]int(nil), at[:len(s.accs)]...)
	s.sorted = append(s.sorted[:0], make([]int32, len(s.durSecs))...)
	for i, g := range s.durGroup {
		s.sorted[next[g]] = s.durSecs[i]
		next[g]++
	}
	p50, p90 = make([]int64, len(s.accs)), make([]int64, len(s.accs))
	for g := range s.accs {
		p50[g], p90[g] = ranks(s.sorted[at[g]:at[g+1]])
	}
	return p50, p90
}

// ranks returns the median and the p90 of run (0, 0 when empty),
// reordering it.
func ranks(run []int32) (p50, p90 int64) {
	if len(run) == 0 {
		return 0, 0
	}
	k90 := nearestRank(90, len(run))
	p90 = int64(nth(run, k90))
	return int64(nth(run[:k90+1], nearestRank(50, len(run)))), p90
}

// total returns the figures of every row of every group; percentiles must
// have run.
func (s *groups) total(nm *names) Figures {
	var m acc
	for i := range s.accs {
		m.merge(&s.accs[i])
	}
	p50, p90 := ranks(s.sorted)
	return m.figures(nm, p50, p90)
}

// handlingSecs returns d (seconds) as an int32, clamped to its range
// (±68 years: no handling time is longer), which halves the memory the
// percentiles sort and select through.
func handlingSecs(d int64) int32 {
	return int32(min(max(d, math.MinInt32), math.MaxInt32))
}

// nearestRank returns the 0-based index of the p-th percentile of n sorted
// values by the nearest-rank rule: ceil(p/100 · n) − 1.
func nearestRank(p, n int) int {
	return max((p*n+99)/100, 1) - 1
}

// nth returns the k-th smallest of a (0-based), reordering a so that
// a[:k] holds no larger value and a[k+1:] no smaller (quickselect with a
// median of three).
func nth(a []int32, k int) int32 {
	lo, hi := 0, len(a)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[mid] {
			a[hi], a[mid] = a[mid], a[hi]
		}
		p := a[mid]
		i, j := lo, hi
		for i <= j {
			for a[i] < p {
				i++
			}
			for a[j] > p {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return a[k]
		}
	}
	return a[k]
}
