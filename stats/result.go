package stats

import (
	"cmp"
	"slices"
	"time"
)

// result turns the sums of s into q's Result. The caller holds mu.
func (s *scan) result(l *Ledger, q *Query) Result {
	nm := &l.names
	res := Result{Layer: q.Layer}
	grids := s.gridFigures(nm)
	if s.gridQuery {
		if len(grids) == 0 {
			grids = append(grids, new(acc).figures(nm, 0, 0))
			grids[0].Code = q.Grid
		}
		res.Total = grids[0]
		res.Total.Layer, res.Total.Code, res.Total.Name = "", "", ""
		res.Grid, res.Children = &grids[0], grids[1:]
		if s.between >= 0 {
			if nm.isCoarse(nm.gridLayer[s.grid]) {
				res.Between = &grids[s.between]
			}
			res.Children = slices.Delete(slices.Clone(res.Children), s.between-1, s.between)
		}
		slices.SortFunc(res.Children, byCode)
	} else {
		res.Total = s.byGrid.total(nm)
		res.Grids = grids[1:]
		slices.SortFunc(res.Grids, byCode)
		if grids[0].Total > 0 {
			res.Between = &grids[0]
		}
	}
	if s.series != nil {
		res.Series = s.seriesPoints(nm)
	}
	return res
}

func byCode(a, b Figures) int { return cmp.Compare(a.Code, b.Code) }

// gridFigures returns the figures of every group of byGrid, in group order
// (that of the incidents lacking the layer without name or code).
func (s *scan) gridFigures(nm *names) []Figures {
	p50, p90 := s.byGrid.percentiles()
	out := make([]Figures, len(s.gridOf))
	for i, g := range s.gridOf {
		out[i] = s.byGrid.accs[i].figures(nm, p50[i], p90[i])
		if g < 0 {
			continue
		}
		out[i].Layer = nm.layer.list[nm.gridLayer[g]]
		out[i].Code = nm.gridCode[g]
		out[i].Name = nm.gridName[g]
	}
	return out
}

// seriesPoints returns the series steps from the first that has
// incidents to the last that has.
func (s *scan) seriesPoints(nm *names) []Point {
	first, last := -1, -1
	for i := range s.series.accs {
		if s.series.accs[i].total > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return nil
	}
	p50, p90 := s.series.percentiles()
	out := make([]Point, 0, last-first+1)
	for i := first; i <= last; i++ {
		out = append(out, Point{
			Start:   time.Unix(s.steps[i], 0).In(s.loc),
			Figures: s.series.accs[i].figures(nm, p50[i], p90[i]),
		})
	}
	return out
}
