package pgstore_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/gridmap/gridmap/live"
	"github.com/gridmap/gridmap/stats"
	"github.com/gridmap/gridmap/version"
	"github.com/paulmach/orb"
)

// square is the square of side 1° at (lon, lat), WGS84.
func square(lon, lat float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{lon, lat}, {lon + 1, lat}, {lon + 1, lat + 1}, {lon, lat + 1}, {lon, lat}}}}
}

// snapshot is a version of county C (120–122 E, 31–32 N), town T and
// its grids G1 (west) and G2 (east).
func snapshot(t testing.TB) *version.Snapshot {
	t.Helper()
	grid := func(code, parent, level string, m orb.MultiPolygon) *geo.Grid {
		return &geo.Grid{Code: code, Parent: parent, Name: code, Level: level, Props: map[string]any{}, Geom: m}
	}
	both := orb.MultiPolygon{square(120, 31)[0], square(121, 31)[0]}
	d, err := geo.NewDataset([]*geo.Layer{
		geo.NewLayer("county", []*geo.Grid{grid("C", "", "county", both)}),
		geo.NewLayer("towns", []*geo.Grid{grid("T", "C", "town", both)}),
		geo.NewLayer("grids", []*geo.Grid{grid("G1", "T", "grid", square(120, 31)), grid("G2", "T", "grid", square(121, 31))}),
	})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := version.Build(version.Manifest{ID: "1"}, d, version.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// replica is what one gridmap serve keeps of the incidents: a service
// over its own store on the shared database, its figures and its live
// hub, with a wall subscribed to the hub from the start.
type replica struct {
	svc    *incident.Service
	ledger *stats.Ledger
	mu     sync.Mutex
	heard  []incident.Event
}

// newReplica starts a replica on the database of dsn; it stops when t
// ends.
func newReplica(t *testing.T, dsn string, snap *version.Snapshot) *replica {
	t.Helper()
	st := open(t, dsn)
	r := &replica{ledger: stats.NewLedger()}
	hub := live.NewHub(1000)
	svc, err := incident.New(ctx, incident.Options{Store: st, Current: func() *version.Snapshot { return snap },
		Publisher: hub, Sinks: []incident.Sink{r.ledger}, Counter: r.ledger,
		Log: slog.New(slog.NewTextHandler(testWriter{t}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	r.svc = svc
	_, sub, _ := hub.Subscribe("")
	run, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { svc.Run(run) })
	wg.Go(func() { r.listen(sub) })
	t.Cleanup(func() {
		stop()
		hub.Close()
		wg.Wait()
	})
	return r
}

// listen keeps what sub gives until it ends.
func (r *replica) listen(sub *live.Subscription) {
	for {
		segs, wake, ok := sub.Next()
		if !ok {
			return
		}
		r.mu.Lock()
		for _, g := range segs {
			for _, e := range g.Events() {
				r.heard = append(r.heard, e.Event)
			}
		}
		r.mu.Unlock()
		<-wake
	}
}

// steps returns the Seqs of the incident and transition events heard, in
// order, failing t when one was heard twice.
func (r *replica) steps(t *testing.T) []uint64 {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []uint64
	seen := map[string]bool{}
	for _, e := range r.heard {
		c := live.Cursor(e)
		if seen[c] {
			t.Fatalf("event %s (%s) heard twice", c, e.Kind)
		}
		seen[c] = true
		if e.Kind != incident.EventCounts {
			out = append(out, e.ID)
		}
	}
	return out
}

// grid is the ledger's figures of grid code.
func (r *replica) grid(code string) incident.GridCount {
	for _, c := range r.ledger.LayerCounts("grids") {
		if c.Code == code {
			return c
		}
	}
	return incident.GridCount{}
}

// testWriter sends a logger's lines to t.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// eventually waits until ok holds (no time limit: go test's -timeout is
// the limit) and returns how long it took.
func eventually(ok func() bool) time.Duration {
	start := time.Now()
	for !ok() {
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start)
}

// The actors of the tests.
var (
	dispatcher = incident.Actor{Role: "dispatcher", KeyID: "k1"}
	supervisor = incident.Actor{Role: "supervisor", KeyID: "k2"}
	hotline    = incident.Actor{Role: "reporter", KeyID: "k3"}
	worker     = incident.Actor{Role: "grid_worker", KeyID: "k4", Staff: "W1"}
)

// roster staffs G1 with a full-time grid worker, W1.
const roster = "grid,id,name,role,phone\nG1,W1,王网格,专职网格员,13800001111\n"

// TestReplicasFollow runs two replicas on one database: a roster imported
// on A is the one B dispatches with, and an incident's loop taken in turns
// on A and B (report, assess, dispatch, accept, handle, feedback, close)
// reaches both replicas' figures and live walls, each step once.
func TestReplicasFollow(t *testing.T) {
	dsn := migrated(t, pgtest.NewDB(t))
	snap := snapshot(t)
	a, b := newReplica(t, dsn, snap), newReplica(t, dsn, snap)
	if _, err := a.svc.ImportRoster(ctx, strings.NewReader(roster), "staff.csv"); err != nil {
		t.Fatal(err)
	}
	took := eventually(func() bool { return b.svc.Roster().Version.ID == "r1" })
	t.Logf("B took A's roster in %v", took)
	inc, _, err := a.svc.Report(ctx, incident.NewIncident{Lon: 120.5, Lat: 31.5, Category: "市容环境", Source: "12345"}, hotline, "")
	if err != nil {
		t.Fatal(err)
	}
	took = eventually(func() bool { return b.grid("G1").Open == 1 })
	t.Logf("B counted A's report in %v", took)
	seqs := []uint64{}
	if _, hist, err := a.svc.Get(ctx, inc.ID); err == nil {
		seqs = append(seqs, hist[0].Seq)
	}
	turns := []struct {
		on  *replica
		req incident.ActionRequest
		by  incident.Actor
	}{
		{b, incident.ActionRequest{Action: incident.ActAssess}, dispatcher},
		{a, incident.ActionRequest{Action: incident.ActDispatch}, dispatcher},
		{b, incident.ActionRequest{Action: incident.ActAccept}, worker},
		{a, incident.ActionRequest{Action: incident.ActHandle}, worker},
		{b, incident.ActionRequest{Action: incident.ActFeedback, Rating: 5}, supervisor},
		{a, incident.ActionRequest{Action: incident.ActClose}, supervisor},
	}
	for _, turn := range turns {
		after, tr, err := turn.on.svc.Act(ctx, inc.ID, turn.req, turn.by)
		if err != nil {
			t.Fatalf("%s: %v", turn.req.Action, err)
		}
		if turn.req.Action == incident.ActDispatch && after.Assignee != "W1" {
			t.Fatalf("dispatched to %q, want W1 of the roster imported on the other replica", after.Assignee)
		}
		seqs = append(seqs, tr.Seq)
	}
	took = eventually(func() bool { return b.grid("G1").Closed == 1 })
	t.Logf("B counted the close on A in %v", took)
	// a last report on B: once A has it, A has passed every step before
	last, _, err := b.svc.Report(ctx, incident.NewIncident{Lon: 121.5, Lat: 31.5, Category: "市容环境", Source: "12345"}, hotline, "")
	if err != nil {
		t.Fatal(err)
	}
	_, hist, err := b.svc.Get(ctx, last.ID)
	if err != nil {
		t.Fatal(err)
	}
	seqs = append(seqs, hist[0].Seq)
	for name, r := range map[string]*replica{"A": a, "B": b} {
		eventually(func() bool { return r.grid("G2").Open == 1 && slices.Contains(r.steps(t), seqs[len(seqs)-1]) })
		// a replica hears its own steps at once, the other's a moment later
		if got := slices.Sorted(slices.Values(r.steps(t))); !slices.Equal(got, seqs) {
			t.Fatalf("replica %s heard steps %v, want %v each once", name, got, seqs)
		}
		if g := r.grid("G1"); g.Total != 1 || g.Open != 0 || g.Closed != 1 || r.ledger.Len() != 2 {
			t.Fatalf("replica %s counts G1 %+v of %d incidents, want one closed of two", name, g, r.ledger.Len())
		}
	}
}
