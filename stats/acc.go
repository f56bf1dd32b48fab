package stats

import "github.com/gridmap/gridmap/incident"

// inline is how many statuses, categories and sources an acc counts in
// its arrays; numbers past it go to acc.more. The loop has 9 statuses and
// the sources and categories of a place are a handful, so a query's sums
// stay in a few contiguous kilobytes per thousand groups.
const inline = 16

// acc sums the figures of one group of rows.
type acc struct {
	total, closed, rejected, overdue, rated, handled int
	ratingSum                                        int
	// status, category and source count by interned number below inline.
	status, category, source [inline]int32
	// more counts the numbers from inline on.
	more map[moreKey]int
}

// moreKey names one counter of acc.more: which of the three (0 status, 1
// category, 2 source) and the number.
type moreKey struct {
	kind uint8
	id   uint16
}

// count adds n to counter id of kind into arr or more.
func (a *acc) count(arr *[inline]int32, kind uint8, id uint16, n int) {
	if id < inline {
		arr[id] += int32(n)
		return
	}
	if a.more == nil {
		a.more = make(map[moreKey]int)
	}
	a.more[moreKey{kind, id}] += n
}

// add counts row r of c. The caller holds the ledger's lock.
func (a *acc) add(c *columns, r int) {
	a.total++
	st := c.status[r]
	a.count(&a.status, 0, uint16(st), 1)
	a.count(&a.category, 1, c.category[r], 1)
	a.count(&a.source, 2, c.source[r], 1)
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
}

// merge adds the sums of b to a.
func (a *acc) merge(b *acc) {
	a.total += b.total
	a.closed += b.closed
	a.rejected += b.rejected
	a.overdue += b.overdue
	a.rated += b.rated
	a.ratingSum += b.ratingSum
	a.handled += b.handled
	for i := range inline {
		a.status[i] += b.status[i]
		a.category[i] += b.category[i]
		a.source[i] += b.source[i]
	}
	for k, n := range b.more {
		if a.more == nil {
			a.more = make(map[moreKey]int)
		}
		a.more[k] += n
	}
}

// kinds returns how many counters of kind (arr and those of more) are not
// zero: the size of its map in Figures, made at once rather than grown
// (growing them was a tenth of a query by micro grid).
func (a *acc) kinds(arr *[inline]int32, kind uint8) int {
	n := 0
	for _, c := range arr {
		if c > 0 {
			n++
		}
	}
	for k := range a.more {
		if k.kind == kind {
			n++
		}
	}
	return n
}

// figures returns the Figures of a, its percentiles given. The caller
// holds the ledger's lock (for the names).
func (a *acc) figures(nm *names, p50, p90 int64) Figures {
	f := Figures{
		Total:      a.total,
		ByStatus:   make(map[incident.Status]int, a.kinds(&a.status, 0)),
		ByCategory: make(map[string]int, a.kinds(&a.category, 1)),
		BySource:   make(map[string]int, a.kinds(&a.source, 2)),
		Closed:     a.closed,
		Open:       a.total - a.closed - a.rejected,
		Handled:    a.handled,
		Overdue:    a.overdue,
		Rated:      a.rated,
	}
	put := func(kind uint8, id int, n int) {
		switch kind {
		case 0:
			f.ByStatus[incident.Status(nm.statuses.list[id])] = n
		case 1:
			f.ByCategory[nm.category.list[id]] = n
		case 2:
			f.BySource[nm.source.list[id]] = n
		}
	}
	for kind, arr := range []*[inline]int32{&a.status, &a.category, &a.source} {
		for i, n := range arr {
			if n > 0 {
				put(uint8(kind), i, int(n))
			}
		}
	}
	for k, n := range a.more {
		put(k.kind, int(k.id), n)
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
