package stats

import "time"

// shanghai returns Asia/Shanghai, or a fixed UTC+8 zone of that name when
// the system has no time zone database (China has kept UTC+8 without
// daylight saving since 1991, so the two agree on every recent day).
func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("Asia/Shanghai", 8*3600)
}

// maxSteps bounds a series (about 55 years of days), so that one incident
// reported at a wild time cannot make a query allocate without end; the
// incidents past it are left out of the series, not of the figures.
const maxSteps = 20000

// steps returns the starts (unix seconds) of the days or weeks (kind "day"
// or "week"; weeks start on Monday) in loc from the one holding first to
// the one holding last (at most maxSteps), followed by the end of the
// last; nil when first > last. Days are calendar days of loc, so a day of
// a daylight-saving change has its true length.
func steps(kind string, first, last int64, loc *time.Location) []int64 {
	if first > last {
		return nil
	}
	t := time.Unix(first, 0).In(loc)
	y, m, d := t.Date()
	days := 1
	if kind == "week" {
		days = 7
		d -= (int(t.Weekday()) + 6) % 7
	}
	var out []int64
	for k := 0; ; k += days {
		s := time.Date(y, m, d+k, 0, 0, 0, 0, loc).Unix()
		out = append(out, s)
		if s > last || len(out) > maxSteps {
			return out
		}
	}
}

// step returns the index of the step of steps holding t, or -1 when t is
// outside them all. It guesses the index from the mean step length and
// walks from there (a step or two at most, across daylight-saving
// changes), as a binary search per incident doubled the time of a series
// query over 1,000,000 rows.
func step(steps []int64, t int64) int {
	n := len(steps) - 1
	if n < 1 || t < steps[0] || t >= steps[n] {
		return -1
	}
	i := int((t - steps[0]) * int64(n) / (steps[n] - steps[0]))
	for i > 0 && steps[i] > t {
		i--
	}
	for i < n-1 && steps[i+1] <= t {
		i++
	}
	return i
}
