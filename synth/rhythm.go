package synth

import (
	"sort"
	"time"
)

// China is the time zone of the rhythm and of the written times: China
// Standard Time, UTC+8, with no summer time.
var China = time.FixedZone("CST", 8*3600)

// hourly is the share of a day's reports in each local hour, 0 h to 23 h:
// few at night, a morning peak from 9 h, a dip at lunch, an afternoon peak
// and a tail into the evening (the shape of 12345 hotline volumes).
var hourly = [24]float64{
	0.8, 0.5, 0.4, 0.3, 0.3, 0.5, 1.2, 2.6, 4.8, 6.9, 7.4, 6.8,
	4.9, 5.6, 6.7, 6.9, 6.5, 5.7, 4.4, 3.8, 3.4, 2.8, 2.0, 1.3,
}

// weekly scales each weekday, Sunday first: weekends bring about two
// thirds of a working day's reports.
var weekly = [7]float64{0.65, 1.05, 1.0, 1.0, 1.0, 0.98, 0.7}

// rhythm turns a uniform share of the span into a report time with the
// daily and weekly rhythm: the inverse of the cumulative intensity, by
// hour of the span.
type rhythm struct {
	from time.Time
	span time.Duration
	cum  []float64 // cum[k]: intensity of hours [0, k) of the span
}

func newRhythm(from, to time.Time) *rhythm {
	r := &rhythm{from: from, span: to.Sub(from)}
	hours := int((r.span + time.Hour - 1) / time.Hour)
	r.cum = make([]float64, hours+1)
	for k := range hours {
		t := from.Add(time.Duration(k)*time.Hour + 30*time.Minute).In(China)
		w := hourly[t.Hour()] * weekly[t.Weekday()]
		if k == hours-1 {
			// the last hour may be cut short by to
			w *= float64(r.span-time.Duration(k)*time.Hour) / float64(time.Hour)
		}
		r.cum[k+1] = r.cum[k] + w
	}
	return r
}

// at returns the time at share u (0 <= u < 1) of the span's intensity, in
// China's zone.
func (r *rhythm) at(u float64) time.Time {
	x := u * r.cum[len(r.cum)-1]
	k := sort.SearchFloat64s(r.cum, x) - 1 // cum[k] < x <= cum[k+1]
	k = min(max(k, 0), len(r.cum)-2)
	frac := 0.0
	if w := r.cum[k+1] - r.cum[k]; w > 0 {
		frac = (x - r.cum[k]) / w
	}
	d := time.Duration(k)*time.Hour + time.Duration(frac*float64(time.Hour))
	d = min(d, r.span-1)
	return r.from.Add(d).In(China).Truncate(time.Second)
}
