package incident_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/incident"
)

// TestRelocate: a new version moves the border of G11 and G12; incidents
// keep the chain they were located with until an operator relocates them.
func TestRelocate(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	moving := f.report(t, 120.55, 31.5, "其他") // G12 in version 1, G11 in version 2
	staying := f.report(t, 121.5, 31.5, "其他")
	if moving.Finest() != "G12" {
		t.Fatalf("located in %s", moving.Finest())
	}
	f.snap.Store(tinySnapshot(t, "2", 120.6))
	got, _, err := f.svc.Get(ctx, moving.ID)
	if err != nil || got.Finest() != "G12" || got.Version != "1" {
		t.Fatalf("a new version rewrote history: %+v %v", got, err)
	}
	if _, err := f.svc.Relocate(ctx, incident.Filter{}, hotline); !errors.Is(err, incident.ErrForbidden) {
		t.Fatalf("relocate by a reporter: %v", err)
	}
	res, err := f.svc.Relocate(ctx, incident.Filter{}, dispatcher)
	if err != nil {
		t.Fatal(err)
	}
	if res != (incident.RelocateResult{Version: "2", Examined: 2, Changed: 2, Moved: 1}) {
		t.Fatalf("result %+v", res)
	}
	got, hist, err := f.svc.Get(ctx, moving.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := hist[len(hist)-1]
	if got.Finest() != "G11" || got.Version != "2" || last.Action != "relocate" || last.Note != "from version 1 to 2" || got.Status != incident.Reported {
		t.Fatalf("relocated %+v, last step %+v", got, last)
	}
	// the wall is told of the counts of the grids it left and entered
	var codes []string
	for _, e := range f.rec.events {
		if e.Kind == incident.EventCounts && e.ID == last.Seq {
			for _, c := range e.Counts {
				codes = append(codes, c.Code)
			}
		}
	}
	if strings.Join(codes, " ") != "G12 T1 C G11 T1 C" {
		t.Errorf("counts of the relocation: %v", codes)
	}
	if s, _, _ := f.svc.Get(ctx, staying.ID); s.Finest() != "G21" || s.Version != "2" {
		t.Fatalf("staying %+v", s)
	}
	// again: nothing to do
	res, err = f.svc.Relocate(ctx, incident.Filter{}, admin)
	if err != nil || res != (incident.RelocateResult{Version: "2", Examined: 2}) {
		t.Fatalf("second relocation %+v, %v", res, err)
	}
	// a filter limits it
	f.snap.Store(tinySnapshot(t, "3", 120.5))
	res, err = f.svc.Relocate(ctx, incident.Filter{Grid: "T2"}, admin)
	if err != nil || res != (incident.RelocateResult{Version: "3", Examined: 1, Changed: 1}) {
		t.Fatalf("relocation of T2 %+v, %v", res, err)
	}
	// a version without the east town: the incident there stays as it was
	f.snap.Store(tinySnapshotOf(t, "4", 120.5, false))
	res, err = f.svc.Relocate(ctx, incident.Filter{}, admin)
	if err != nil || res != (incident.RelocateResult{Version: "4", Examined: 2, Changed: 1, Moved: 1, Outside: 1}) {
		t.Fatalf("relocation to version 4 %+v, %v", res, err)
	}
	if s, _, _ := f.svc.Get(ctx, staying.ID); s.Finest() != "G21" || s.Version != "3" {
		t.Fatalf("outside incident changed: %+v", s)
	}
}
