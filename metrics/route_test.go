package metrics_test

import (
	"testing"
	"time"

	"github.com/gridmap/gridmap/metrics"
	"github.com/prometheus/client_golang/prometheus"
)

// TestRouteObserve counts answers by route and code, statuses outside
// 100–599 as "other", and allocates nothing once a code was seen.
func TestRouteObserve(t *testing.T) {
	reg := prometheus.NewRegistry()
	s, err := metrics.New(reg, metrics.BuildInfo{}, noVersions{})
	if err != nil {
		t.Fatal(err)
	}
	r := s.Route("lookup")
	codes := []int{200, 200, 404, 0, 999, 200}
	for _, c := range codes {
		r.Observe(c, time.Millisecond)
	}
	want := map[string]float64{"200": 3, "404": 1, "other": 2}
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range fams {
		if f.GetName() != "gridmap_http_requests_total" {
			continue
		}
		for _, m := range f.Metric {
			for _, l := range m.Label {
				if l.GetName() == "code" {
					got[l.GetValue()] = m.Counter.GetValue()
				}
			}
		}
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("code %s: %v, want %v (all %v)", k, got[k], v, got)
		}
	}
	if n := testing.AllocsPerRun(1000, func() { r.Observe(200, time.Millisecond) }); n != 0 {
		t.Errorf("Observe allocates %v times", n)
	}
	if n := testing.AllocsPerRun(1000, func() { s.Lookup(); s.BatchPoints(10); s.Import(metrics.ImportRejected, time.Second) }); n != 0 {
		t.Errorf("Lookup, BatchPoints and Import allocate %v times", n)
	}
	for _, f := range fams {
		if f.GetName() == "gridmap_active_version" || f.GetName() == "gridmap_active_version_age_seconds" {
			t.Errorf("%s while no version is served", f.GetName())
		}
	}
}
