package incident_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/incident"
	"github.com/paulmach/orb"
)

// TestReportLocates locates reports inside, near and far from the grids.
func TestReportLocates(t *testing.T) {
	f := newFixture(t, nil)
	gcj := crs.GCJ02.FromWGS84(orb.Point{121.5, 31.5})
	tests := []struct {
		name     string
		in       incident.NewIncident
		chain    string // codes, finest first; "" = outside
		nearest  bool
		lon, lat float64 // the WGS84 point stored
	}{
		{"inside G11", incident.NewIncident{Lon: 120.25, Lat: 31.5}, "G11 T1 C", false, 120.25, 31.5},
		{"inside G21", incident.NewIncident{Lon: 121.5, Lat: 31.2}, "G21 T2 C", false, 121.5, 31.2},
		{"gcj02 point", incident.NewIncident{Lon: gcj[0], Lat: gcj[1], CRS: "GCJ-02"}, "G21 T2 C", false, 121.5, 31.5},
		{"100 m south of G11", incident.NewIncident{Lon: 120.25, Lat: 31 - 100.0/111320}, "G11 T1 C", true, 120.25, 31 - 100.0/111320},
		{"1 km south", incident.NewIncident{Lon: 120.25, Lat: 31 - 1000.0/111320}, "", false, 0, 0},
		{"far away", incident.NewIncident{Lon: 116.4, Lat: 39.9}, "", false, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Category, tc.in.Source = "市容环境", "12345"
			inc, created, err := f.svc.Report(context.Background(), tc.in, hotline, "")
			if tc.chain == "" {
				if !errors.Is(err, incident.ErrOutside) {
					t.Fatalf("error %v, want ErrOutside", err)
				}
				return
			}
			if err != nil || !created {
				t.Fatalf("%v (created %v)", err, created)
			}
			var codes []string
			for _, l := range inc.Chain {
				codes = append(codes, l.Code)
				if l.Nearest != tc.nearest || (tc.nearest && !(l.DistanceM > 90 && l.DistanceM < 110)) {
					t.Errorf("link %+v: want nearest %v about 100 m", l, tc.nearest)
				}
			}
			if got := strings.Join(codes, " "); got != tc.chain {
				t.Errorf("chain %s, want %s", got, tc.chain)
			}
			if math.Abs(inc.Lon-tc.lon) > 1e-5 || math.Abs(inc.Lat-tc.lat) > 1e-5 {
				t.Errorf("point (%v, %v), want (%v, %v)", inc.Lon, inc.Lat, tc.lon, tc.lat)
			}
			if inc.ID == 0 || inc.Status != incident.Reported || inc.Version != "1" || inc.Chain[0].Name == "" || inc.Chain[0].Level != "grid" {
				t.Errorf("stored %+v", inc)
			}
			if want := f.clock.Now().Add(72 * time.Hour); !inc.Deadline.Equal(want) {
				t.Errorf("deadline %v, want %v", inc.Deadline, want)
			}
		})
	}
}

// TestReportNearestOff: a negative NearestM turns the fallback off.
func TestReportNearestOff(t *testing.T) {
	f := newFixture(t, func(o *incident.Options) { o.NearestM = -1 })
	_, _, err := f.svc.Report(context.Background(), incident.NewIncident{Lon: 120.25, Lat: 31 - 100.0/111320, Category: "其他", Source: "110"}, hotline, "")
	if !errors.Is(err, incident.ErrOutside) {
		t.Fatalf("error %v, want ErrOutside", err)
	}
}

// TestReportRefusesBadFields names the field of every bad report.
func TestReportRefusesBadFields(t *testing.T) {
	f := newFixture(t, nil)
	good := incident.NewIncident{Lon: 120.25, Lat: 31.5, Category: "市容环境", Source: "12345"}
	tests := []struct {
		field string
		edit  func(*incident.NewIncident)
	}{
		{"category", func(in *incident.NewIncident) { in.Category = "  " }},
		{"category", func(in *incident.NewIncident) { in.Category = strings.Repeat("类", 65) }},
		{"source", func(in *incident.NewIncident) { in.Source = "" }},
		{"source", func(in *incident.NewIncident) { in.Source = "a\x00b" }},
		{"external_ref", func(in *incident.NewIncident) { in.ExternalRef = strings.Repeat("r", 129) }},
		{"description", func(in *incident.NewIncident) { in.Description = strings.Repeat("长", 4001) }},
		{"description", func(in *incident.NewIncident) { in.Description = "\xff" }},
		{"reporter.phone", func(in *incident.NewIncident) { in.Reporter.Phone = strings.Repeat("1", 65) }},
		{"lon", func(in *incident.NewIncident) { in.Lon = math.NaN() }},
		{"lon", func(in *incident.NewIncident) { in.Lon = 181 }},
		{"lat", func(in *incident.NewIncident) { in.Lat = math.Inf(1) }},
		{"lat", func(in *incident.NewIncident) { in.Lat = -91 }},
		{"crs", func(in *incident.NewIncident) { in.CRS = "mars" }},
		{"crs", func(in *incident.NewIncident) { in.CRS = "EPSG:4527" }},
		{"occurred_at", func(in *incident.NewIncident) { in.OccurredAt = f.clock.Now().Add(time.Hour) }},
	}
	for _, tc := range tests {
		in := good
		tc.edit(&in)
		_, _, err := f.svc.Report(context.Background(), in, hotline, "")
		var fe *incident.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: error %v, want a field error on %s", tc.field, err, tc.field)
		}
	}
	in := good
	in.Description = "第一行\n第二行\t完"
	in.OccurredAt = f.clock.Now().Add(30 * time.Second) // clocks drift
	if _, _, err := f.svc.Report(context.Background(), in, hotline, ""); err != nil {
		t.Fatal(err)
	}
}

// TestReportNoVersion: nothing served, nothing located.
func TestReportNoVersion(t *testing.T) {
	f := newFixture(t, nil)
	f.snap.Store(nil)
	_, _, err := f.svc.Report(context.Background(), incident.NewIncident{Lon: 120.25, Lat: 31.5, Category: "其他", Source: "110"}, hotline, "")
	if !errors.Is(err, incident.ErrNoVersion) {
		t.Fatalf("error %v, want ErrNoVersion", err)
	}
}

// TestReportIdempotent: a retry with the same key, or of the same source
// and external reference, answers the stored incident and stores nothing,
// also when the retries race.
func TestReportIdempotent(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	in := incident.NewIncident{Lon: 120.25, Lat: 31.5, Category: "其他", Source: "wechat"}
	first, created, err := f.svc.Report(ctx, in, hotline, "key-1")
	if err != nil || !created {
		t.Fatal(err, created)
	}
	again, created, err := f.svc.Report(ctx, in, hotline, "key-1")
	if err != nil || created || again.ID != first.ID {
		t.Fatalf("retry by key: %v created %v id %d, want %d", err, created, again.ID, first.ID)
	}
	ref := in
	ref.Source, ref.ExternalRef = "12345", "GD-2026-0001"
	a, created, err := f.svc.Report(ctx, ref, hotline, "")
	if err != nil || !created {
		t.Fatal(err)
	}
	b, created, err := f.svc.Report(ctx, ref, hotline, "another-key")
	if err != nil || created || b.ID != a.ID {
		t.Fatalf("retry by reference: %v created %v id %d, want %d", err, created, b.ID, a.ID)
	}
	other := ref
	other.Source = "110" // the same reference of another source is another incident
	c, created, err := f.svc.Report(ctx, other, hotline, "")
	if err != nil || !created || c.ID == a.ID {
		t.Fatalf("other source: %v created %v", err, created)
	}

	// 16 racing retries of one key: one is created
	var wg sync.WaitGroup
	ids := make([]incident.ID, 16)
	createdN := make([]bool, 16)
	for i := range ids {
		wg.Go(func() {
			inc, cr, err := f.svc.Report(ctx, in, hotline, "race-key")
			if err != nil {
				t.Error(err)
			}
			ids[i], createdN[i] = inc.ID, cr
		})
	}
	wg.Wait()
	n := 0
	for i := range ids {
		if createdN[i] {
			n++
		}
		if ids[i] != ids[0] {
			t.Errorf("retry %d got id %d, others %d", i, ids[i], ids[0])
		}
	}
	if n != 1 {
		t.Errorf("%d of the racing retries created an incident, want 1", n)
	}
	list, _, err := f.svc.List(ctx, incident.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 {
		t.Errorf("%d incidents stored, want 4", len(list))
	}
	// one incident event per created incident
	nIncident := 0
	for _, k := range f.rec.kinds() {
		if k == incident.EventIncident {
			nIncident++
		}
	}
	if nIncident != 4 {
		t.Errorf("%d incident events, want 4", nIncident)
	}
}
