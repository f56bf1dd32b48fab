package stats

import (
	"runtime"
	"sync"
)

// parallelChunks is the number of chunks (of chunkRows) from which a
// query scans in as many goroutines as GOMAXPROCS (two on the 2-core
// machine): each scans every parts-th chunk into groups of its own, merged
// at the end. Below it, one goroutine scans.
const parallelChunks = 4

// scanParallel counts rows [0, n) of l into s, in parts when n is large
// (see parallelRows); each chunk is scanned under the read lock.
func (l *Ledger) scanParallel(s *scan, q *Query, n int) {
	parts := min(runtime.GOMAXPROCS(0), max(n/(parallelChunks*l.chunkRows()), 1))
	if parts <= 1 {
		l.scanChunks(s, 0, 1, n)
		return
	}
	subs := make([]*scan, parts)
	l.mu.RLock()
	for p := range subs {
		subs[p] = l.newScan(q)
	}
	l.mu.RUnlock()
	var wg sync.WaitGroup
	for p, sub := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.scanChunks(sub, p, parts, n)
		}()
	}
	wg.Wait()
	for _, sub := range subs {
		s.absorb(sub)
		sub.release()
	}
}

// scanChunks counts into s the chunks first, first+step, … of rows [0, n),
// each under the read lock.
func (l *Ledger) scanChunks(s *scan, first, step, n int) {
	c := l.chunkRows()
	for at := first * c; at < n; at += step * c {
		l.mu.RLock()
		s.rows(l, at, min(at+c, n))
		l.mu.RUnlock()
	}
}

// chunkRows returns how many rows a query scans per hold of the read
// lock: l.chunk, which tests set small, else chunkRows.
func (l *Ledger) chunkRows() int {
	if l.chunk > 0 {
		return l.chunk
	}
	return chunkRows
}

// absorb adds the sums of sub, a scan of the same query over other rows,
// to s: each of sub's grid groups to s's group of the same grid, its series
// steps to the same steps.
func (s *scan) absorb(sub *scan) {
	to := make([]int32, len(sub.gridOf))
	for i, g := range sub.gridOf {
		if g >= 0 {
			to[i] = int32(s.group(g))
		}
	}
	s.byGrid.absorb(sub.byGrid, to)
	if s.series != nil {
		s.series.absorb(sub.series, nil)
	}
}

// absorb adds the sums and handling times of o to s, o's group i into s's
// group to[i] (nil: the same group).
func (s *groups) absorb(o *groups, to []int32) {
	target := func(i int32) int32 {
		if to == nil {
			return i
		}
		return to[i]
	}
	for i := range o.accs {
		t := int(target(int32(i)))
		s.grow(t)
		s.accs[t].merge(&o.accs[i])
	}
	for j, g := range o.durGroup {
		s.durGroup = append(s.durGroup, target(g))
		s.durSecs = append(s.durSecs, o.durSecs[j])
	}
}
