package stats

import "github.com/gridmap/gridmap/incident"

// acc sums the figures of one group of rows.
type acc struct {
	total, closed, rejected, overdue, rated, ratingSum, handled int
	// status, category and source count by interned number.
	status, category, source []int
}

// groups sum the rows of a query into groups (grids, series steps, or the
// one total), with each group's handling times kept for its percentiles.
type groups struct {
	accs []acc
	// durGroup and durSecs hold one handled row each: its group and its
	// handling time in seconds.
	durGroup []int32
	durSecs  []int64
}

func newGroups(n int) *groups { return &groups{accs: make([]acc, n)} }

// grow makes room for group g.
func (s *groups) grow(g int) {
	if g >= len(s.accs) {
		s.accs = append(s.accs, make([]acc, g+1-len(s.accs))...)
	}
}

// add counts row r of c into group g. The caller holds the ledger's lock.
func (s *groups) add(g int, c *columns, r int) {
	a := &s.accs[g]
	a.total++
	st := c.status[r]
	bump(&a.status, int(st))
	bump(&a.category, int(c.category[r]))
	bump(&a.source, int(c.source[r]))
	switch st {
	case closedID:
		a.closed++
	case rejectedID:
		a.rejected++
	}
	if c.overdue[r] {
		a.overdue++
	}
	if rt := c.rating[r]; rt > 0 {
		a.rated++
		a.ratingSum += int(rt)
	}
	if h := c.handled[r]; h != noTime {
		a.handled++
		s.durGroup = append(s.durGroup, int32(g))
		s.durSecs = append(s.durSecs, h-c.reported[r])
	}
}

// bump adds one to (*s)[i], growing *s when needed.
func bump(s *[]int, i int) {
	if i >= len(*s) {
		*s = append(*s, make([]int, i+1-len(*s))...)
	}
	(*s)[i]++
}

// percentiles returns the median and p90 handling time of every group:
// the handling times are sorted by group (a counting sort), then each
// group's run is partly ordered by selection.
func (s *groups) percentiles() (p50, p90 []int64) {
	at := make([]int, len(s.accs)+1)
	for g := range s.accs {
		at[g+1] = at[g] + s.accs[g].handled
	}
	next := append([]int(nil), at[:len(s.accs)]...)
	sorted := make([]int64, len(s.durSecs))
	for i, g := range s.durGroup {
		sorted[next[g]] = s.durSecs[i]
		next[g]++
	}
	p50, p90 = make([]int64, len(s.accs)), make([]int64, len(s.accs))
	for g := range s.accs {
		run := sorted[at[g]:at[g+1]]
		if len(run) == 0 {
			continue
		}
		k90 := nearestRank(90, len(run))
		p90[g] = nth(run, k90)
		p50[g] = nth(run[:k90+1], nearestRank(50, len(run)))
	}
	return p50, p90
}

// nearestRank returns the 0-based index of the p-th percentile of n sorted
// values by the nearest-rank rule: ceil(p/100 · n) − 1.
func nearestRank(p, n int) int {
	return max((p*n+99)/100, 1) - 1
}

// nth returns the k-th smallest of a (0-based), reordering a so that
// a[:k] holds no larger value and a[k+1:] no smaller (quickselect with a
// median of three).
func nth(a []int64, k int) int64 {
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

// figures returns group g's Figures, its percentiles given. The caller
// holds the ledger's lock (for the names).
func (s *groups) figures(g int, nm *names, p50, p90 int64) Figures {
	a := &s.accs[g]
	f := Figures{
		Total:      a.total,
		ByStatus:   make(map[incident.Status]int),
		ByCategory: make(map[string]int),
		BySource:   make(map[string]int),
		Closed:     a.closed,
		Open:       a.total - a.closed - a.rejected,
		Handled:    a.handled,
		Overdue:    a.overdue,
		Rated:      a.rated,
	}
	for i, n := range a.status {
		if n > 0 {
			f.ByStatus[incident.Status(nm.statuses.list[i])] = n
		}
	}
	for i, n := range a.category {
		if n > 0 {
			f.ByCategory[nm.category.list[i]] = n
		}
	}
	for i, n := range a.source {
		if n > 0 {
			f.BySource[nm.source.list[i]] = n
		}
	}
	if d := a.total - a.rejected; d > 0 {
		f.ClosureRate = float64(a.closed) / float64(d)
	}
	if a.handled > 0 {
		f.MedianHandlingS, f.P90HandlingS = float64(p50), float64(p90)
	}
	if a.rated > 0 {
		f.Satisfaction = float64(a.ratingSum) / float64(a.rated)
	}
	return f
}
