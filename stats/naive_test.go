package stats_test

import (
	"slices"
	"strings"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/stats"
)

// naive answers a query by the plainest means: a loop over every incident,
// maps, sorted slices. It is the oracle of the ledger's figures.
func naive(incs []incident.Incident, q stats.Query) stats.Result {
	loc := q.Location
	if loc == nil {
		loc, _ = time.LoadLocation("Asia/Shanghai")
	}
	res := stats.Result{Layer: q.Layer}
	var total, between []incident.Incident
	coarse := map[string]bool{} // layers some chain holds above a finer grid
	for _, inc := range incs {
		for _, k := range inc.Chain[min(1, len(inc.Chain)):] {
			coarse[k.Layer] = true
		}
	}
	groups := map[string][]incident.Incident{}
	meta := map[string]incident.Link{}
	found := false // the grid is in some incident's chain, selected or not
	for _, inc := range incs {
		for _, k := range inc.Chain {
			if q.Grid != "" && k.Code == q.Grid {
				found = true
				meta[q.Grid] = k
			}
		}
	}
	for _, inc := range incs {
		if !q.From.IsZero() && inc.ReportedAt.Before(q.From) || !q.To.IsZero() && !inc.ReportedAt.Before(q.To) {
			continue
		}
		if len(q.Category) > 0 && !slices.Contains(q.Category, inc.Category) || len(q.Source) > 0 && !slices.Contains(q.Source, inc.Source) {
			continue
		}
		if q.Layer != "" {
			i := slices.IndexFunc(inc.Chain, func(k incident.Link) bool { return k.Layer == q.Layer })
			if i < 0 {
				between = append(between, inc)
			} else {
				k := inc.Chain[i]
				groups[k.Code] = append(groups[k.Code], inc)
				meta[k.Code] = k
			}
			total = append(total, inc)
			continue
		}
		for i, k := range inc.Chain {
			if k.Code != q.Grid {
				continue
			}
			total = append(total, inc)
			if i > 0 {
				c := inc.Chain[i-1]
				groups[c.Code] = append(groups[c.Code], inc)
				meta[c.Code] = c
			} else if coarse[k.Layer] {
				between = append(between, inc)
			}
			break
		}
	}
	res.Total = naiveFigures(total)
	var list []stats.Figures
	for code, g := range groups {
		f := naiveFigures(g)
		f.Layer, f.Code, f.Name = meta[code].Layer, code, meta[code].Name
		list = append(list, f)
	}
	slices.SortFunc(list, func(a, b stats.Figures) int { return strings.Compare(a.Code, b.Code) })
	if q.Layer != "" {
		res.Grids = list
	} else {
		g := naiveFigures(total)
		g.Code = q.Grid
		if found {
			g.Layer, g.Name = meta[q.Grid].Layer, meta[q.Grid].Name
		}
		res.Grid, res.Children = &g, list
	}
	if len(between) > 0 {
		f := naiveFigures(between)
		res.Between = &f
	}
	if q.Series != "" {
		res.Series = naiveSeries(total, q.Series, loc)
	}
	return res
}

// naiveSeries buckets incs by local calendar day (or by the Monday of its
// week) and fills the empty steps between the first and the last.
func naiveSeries(incs []incident.Incident, kind string, loc *time.Location) []stats.Point {
	start := func(t time.Time) time.Time {
		t = t.In(loc)
		y, m, d := t.Date()
		if kind == "week" {
			wd := int(t.Weekday())
			if wd == 0 {
				wd = 7
			}
			d -= wd - 1
		}
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	}
	byStep := map[time.Time][]incident.Incident{}
	var first, last time.Time
	for _, inc := range incs {
		s := start(inc.ReportedAt)
		byStep[s] = append(byStep[s], inc)
		if first.IsZero() || s.Before(first) {
			first = s
		}
		if s.After(last) {
			last = s
		}
	}
	if len(byStep) == 0 {
		return nil
	}
	var out []stats.Point
	for s := first; !s.After(last); {
		out = append(out, stats.Point{Start: s, Figures: naiveFigures(byStep[s])})
		if kind == "week" {
			s = time.Date(s.Year(), s.Month(), s.Day()+7, 0, 0, 0, 0, loc)
		} else {
			s = time.Date(s.Year(), s.Month(), s.Day()+1, 0, 0, 0, 0, loc)
		}
	}
	return out
}

// naiveFigures sums incs one by one.
func naiveFigures(incs []incident.Incident) stats.Figures {
	f := stats.Figures{ByStatus: map[incident.Status]int{}, ByCategory: map[string]int{}, BySource: map[string]int{}}
	var handling []int64
	rejected, ratings := 0, 0
	for _, inc := range incs {
		f.Total++
		f.ByStatus[inc.Status]++
		f.ByCategory[inc.Category]++
		f.BySource[inc.Source]++
		switch inc.Status {
		case incident.Closed:
			f.Closed++
		case incident.Rejected:
			rejected++
		default:
			f.Open++
		}
		if inc.Overdue {
			f.Overdue++
		}
		if inc.Rating > 0 {
			f.Rated++
			ratings += inc.Rating
		}
		if !inc.HandledAt.IsZero() {
			handling = append(handling, inc.HandledAt.Unix()-inc.ReportedAt.Unix())
		}
	}
	if f.Total-rejected > 0 {
		f.ClosureRate = float64(f.Closed) / float64(f.Total-rejected)
	}
	if f.Rated > 0 {
		f.Satisfaction = float64(ratings) / float64(f.Rated)
	}
	f.Handled = len(handling)
	slices.Sort(handling)
	f.MedianHandlingS = float64(rankValue(handling, 50))
	f.P90HandlingS = float64(rankValue(handling, 90))
	return f
}

// rankValue returns the smallest of sorted that at least p % of sorted do
// not exceed (nearest rank), or 0 for none.
func rankValue(sorted []int64, p int) int64 {
	for i, v := range sorted {
		if (i+1)*100 >= p*len(sorted) {
			return v
		}
	}
	return 0
}

// naiveCounts returns the wall's counts of every grid, by layer and code.
func naiveCounts(incs []incident.Incident) map[[2]string]incident.GridCount {
	out := map[[2]string]incident.GridCount{}
	for _, inc := range incs {
		for _, k := range inc.Chain {
			c := out[[2]string{k.Layer, k.Code}]
			c.Layer, c.Code = k.Layer, k.Code
			c.Total++
			switch {
			case inc.Status == incident.Closed:
				c.Closed++
			case inc.Status != incident.Rejected:
				c.Open++
			}
			if inc.Overdue {
				c.Overdue++
			}
			out[[2]string{k.Layer, k.Code}] = c
		}
	}
	return out
}
