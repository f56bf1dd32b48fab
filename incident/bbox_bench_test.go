package incident_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/version"
)

// BenchmarkListBBox lists the first page (100) of bbox listings — a 100-m
// box around a recent incident, its micro grid's box, a town's box and an
// empty box in the Yangtze — by the time walk the store does alone
// ("time": what a bbox listing was before grid codes) and through the
// service ("grids"), in the same run. The store holds 20,000 synthetic
// Jiangyin incidents, or is the file GRIDMAP_BENCH_INCIDENTS_DB names (its
// incidents located in the same Jiangyin data: `gridmap synth incidents
// --n 1000000` then `gridmap incidents import`).
func BenchmarkListBBox(b *testing.B) {
	ctx := context.Background()
	svc, st, snap := benchBBoxService(b)
	page, _, err := st.List(ctx, incident.Filter{Limit: 500})
	if err != nil || len(page) < 500 {
		b.Fatalf("%d incidents, %v", len(page), err)
	}
	recent := page[499]
	micro := snap.Data.Layer("microgrids").Grid(recent.Chain[0].Code)
	county := snap.Data.Layer("county").Grids[0].Bound()
	_, ky := geo.MetresPerDegree(county.Max[1])
	for _, tc := range []struct {
		name string
		box  [4]float64
	}{
		{"100m", around(recent.Lon, recent.Lat, 50)},
		{"micro", bound(micro)},
		{"town", bound(snap.Data.Layer("towns").Grids[3])},
		{"empty", around(county.Center()[0], county.Max[1]+5000/ky, 1000)},
	} {
		f := incident.Filter{BBox: &tc.box}
		before, _, err1 := st.List(ctx, f)
		after, _, err2 := svc.List(ctx, f)
		if err1 != nil || err2 != nil || !slices.EqualFunc(before, after, func(a, b incident.Incident) bool { return a.ID == b.ID }) {
			b.Fatalf("%s: the listings differ (%d, %d; %v, %v)", tc.name, len(before), len(after), err1, err2)
		}
		b.Run(tc.name+"/time", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := st.List(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/grids", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := svc.List(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchBBoxService is the service of BenchmarkListBBox.
func benchBBoxService(b *testing.B) (*incident.Service, incident.Store, *version.Snapshot) {
	if path := os.Getenv("GRIDMAP_BENCH_INCIDENTS_DB"); path != "" {
		svc, st, snap := jiangyinOver(b, path, time.Now())
		return svc, st, snap
	}
	svc, st, snap := jiangyinService(b, 20000)
	return svc, st, snap
}
