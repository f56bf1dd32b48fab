package router

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"strconv"

	"github.com/gridmap/gridmap/lookup"
	"github.com/paulmach/orb"
)

// candidates returns the shards to ask about p, (lon, lat) WGS84: its
// owner; else, with nearest=M (nearestM > 0), every shard within M metres,
// whose answers' distances decide (pick); else the nearest outline's.
func (r *Router) candidates(p orb.Point, nearestM float64) []int {
	if s := r.m.Owner(p); s >= 0 {
		return []int{s}
	}
	if nearestM > 0 {
		return r.m.Near(p, nearestM)
	}
	return []int{r.m.Nearest(p)}
}

// nearestOf reads a lookup's nearest=M; 0 when absent, ok false when the
// router cannot read it (a shard then says why).
func nearestOf(q string) (float64, bool) {
	if q == "" {
		return 0, true
	}
	v, err := strconv.ParseFloat(q, 64)
	return v, err == nil && v >= 0 && !math.IsInf(v, 0)
}

// distance is how far the grid an answer names lies from its point: 0 for
// a point inside a grid, the nearest grid's distance_m, +Inf for no grid.
// An answer in format f: a JSON or NDJSON result (or a single lookup's
// answer), or a CSV row whose last column is the distance.
func distance(answer []byte, f lookup.Format) float64 {
	if f == lookup.CSV {
		rec, err := csv.NewReader(bytes.NewReader(answer)).Read()
		if err != nil || len(rec) < 4 {
			return math.Inf(1)
		}
		if d, err := strconv.ParseFloat(rec[len(rec)-1], 64); err == nil {
			return d
		}
		for _, code := range rec[3 : len(rec)-1] {
			if code != "" {
				return 0
			}
		}
		return math.Inf(1)
	}
	var a struct {
		Chain []struct {
			DistanceM *float64 `json:"distance_m"`
		} `json:"chain"`
	}
	if json.Unmarshal(answer, &a) != nil || len(a.Chain) == 0 {
		return math.Inf(1)
	}
	d := 0.0
	for _, h := range a.Chain {
		if h.DistanceM != nil {
			d = *h.DistanceM
			break
		}
	}
	return d
}

// nearestAnswer asks each shard of cands for the single lookup req and
// writes the answer of the nearest grid (the first shard's on a tie); an
// answer other than 200 is written as it is.
func (r *Router) nearestAnswer(w http.ResponseWriter, req *http.Request, cands []int) {
	best, bestD := -1, math.Inf(1)
	var answers []*recorded
	for k, s := range cands {
		a := r.record(req, s)
		answers = append(answers, a)
		if a.status != http.StatusOK {
			a.writeTo(w)
			return
		}
		if d := distance(a.body, lookup.JSON); best < 0 || d < bestD {
			best, bestD = k, d
		}
	}
	answers[best].writeTo(w)
}
