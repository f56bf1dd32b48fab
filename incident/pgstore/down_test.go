package pgstore_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/internal/pgtest"
)

// TestDatabaseDown stops the database under two replicas: writes fail
// with ErrUnavailable while the figures in memory still answer; once it is
// back, writes succeed again and each replica catches up with what the
// other wrote while its listener was still reconnecting, each step once.
func TestDatabaseDown(t *testing.T) {
	c := pgtest.StartCluster(t)
	dsn := migrated(t, pgtest.CreateDB(t, c.Admin))
	snap := snapshot(t)
	a, b := newReplica(t, dsn, snap), newReplica(t, dsn, snap)
	report := func(r *replica, lon float64) (incident.Incident, error) {
		inc, _, err := r.svc.Report(ctx, incident.NewIncident{Lon: lon, Lat: 31.5, Category: "市容环境", Source: "12345"}, hotline, "")
		return inc, err
	}
	first, err := report(a, 120.5)
	if err != nil {
		t.Fatal(err)
	}
	eventually(func() bool { return b.grid("G1").Open == 1 })

	c.Stop(t)
	if _, err := report(a, 120.5); !errors.Is(err, incident.ErrUnavailable) {
		t.Fatalf("report with the database down: %v, want ErrUnavailable", err)
	}
	if _, _, err := b.svc.Act(ctx, first.ID, incident.ActionRequest{Action: incident.ActAssess}, dispatcher); !errors.Is(err, incident.ErrUnavailable) {
		t.Fatalf("step with the database down: %v, want ErrUnavailable", err)
	}
	for name, r := range map[string]*replica{"A": a, "B": b} {
		if g := r.grid("G1"); g.Open != 1 || r.ledger.Len() != 1 {
			t.Fatalf("replica %s with the database down counts %+v", name, g)
		}
	}

	c.Start(t)
	// at once: the listeners are still waiting to reconnect
	second, err := report(a, 121.5)
	if err != nil {
		t.Fatalf("report once the database is back: %v", err)
	}
	_, assess, err := b.svc.Act(ctx, first.ID, incident.ActionRequest{Action: incident.ActAssess}, dispatcher)
	if err != nil {
		t.Fatalf("step once the database is back: %v", err)
	}
	_, hist, err := a.svc.Get(ctx, second.ID)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*replica{"A": a, "B": b} {
		took := eventually(func() bool {
			s := r.steps(t)
			return slices.Contains(s, hist[0].Seq) && slices.Contains(s, assess.Seq)
		})
		t.Logf("replica %s caught up %v after the last write", name, took)
		if g := r.grid("G2"); g.Open != 1 || r.ledger.Len() != 2 {
			t.Fatalf("replica %s after the database is back counts G2 %+v of %d", name, g, r.ledger.Len())
		}
		if got := len(r.steps(t)); got != 3 {
			t.Fatalf("replica %s heard %d steps, want 3", name, got)
		}
	}
}
