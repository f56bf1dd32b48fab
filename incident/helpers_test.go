package incident_test

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/sqlitestore"
	"github.com/gridmap/gridmap/staff"
	"github.com/gridmap/gridmap/version"
	"github.com/paulmach/orb"
)

// box is the rectangle [x0, x1] × [y0, y1], (lon, lat) degrees WGS84.
func box(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

// tinySnapshot builds version id of a county (C, 120–122 E, 31–32 N) of two
// towns (T1 west, T2 east) and three grids: T1 split at split degrees
// east into G11 and G12, T2 whole as G21.
func tinySnapshot(t testing.TB, id string, split float64) *version.Snapshot {
	return tinySnapshotOf(t, id, split, true)
}

// tinySnapshotOf is tinySnapshot, without the east town unless east.
func tinySnapshotOf(t testing.TB, id string, split float64, east bool) *version.Snapshot {
	t.Helper()
	g := func(code, parent, name, level string, m orb.MultiPolygon) *geo.Grid {
		return &geo.Grid{Code: code, Parent: parent, Name: name, Level: level, Props: map[string]any{}, Geom: m}
	}
	county := geo.NewLayer("county", []*geo.Grid{g("C", "", "县", "county", box(120, 31, 122, 32))})
	towns := geo.NewLayer("towns", []*geo.Grid{
		g("T1", "C", "西镇", "town", box(120, 31, 121, 32)),
		g("T2", "C", "东镇", "town", box(121, 31, 122, 32)),
	})
	grids := geo.NewLayer("grids", []*geo.Grid{
		g("G11", "T1", "西一网格", "grid", box(120, 31, split, 32)),
		g("G12", "T1", "西二网格", "grid", box(split, 31, 121, 32)),
		g("G21", "T2", "东一网格", "grid", box(121, 31, 122, 32)),
	})
	if !east {
		county.Grids[0].Geom = box(120, 31, 121, 32)
		towns = geo.NewLayer("towns", towns.Grids[:1])
		grids = geo.NewLayer("grids", grids.Grids[:2])
	}
	d, err := geo.NewDataset([]*geo.Layer{county, towns, grids})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := version.Build(version.Manifest{ID: id}, d, version.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// clock is a test clock that moves only when told.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// recorder keeps what the service publishes and puts (a Publisher and a
// Sink).
type recorder struct {
	mu     sync.Mutex
	events []incident.Event
	puts   map[incident.ID]incident.Incident
}

func (r *recorder) Publish(e incident.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) Put(inc incident.Incident) {
	r.mu.Lock()
	if r.puts == nil {
		r.puts = map[incident.ID]incident.Incident{}
	}
	r.puts[inc.ID] = inc
	r.mu.Unlock()
}

// Counts answers one figure per grid of chain (the test checks which
// grids the service asks about, not the figures: package stats has
// those).
func (r *recorder) Counts(chain []incident.Link) []incident.GridCount {
	out := make([]incident.GridCount, len(chain))
	for i, l := range chain {
		out[i] = incident.GridCount{Layer: l.Layer, Code: l.Code}
	}
	return out
}

// kinds lists the kinds of the events published so far.
func (r *recorder) kinds() []incident.EventKind {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []incident.EventKind
	for _, e := range r.events {
		out = append(out, e.Kind)
	}
	return out
}

// fixture is a service over a real SQLite store in a temporary directory,
// serving version "1" of tinySnapshot (G11|G12 split at 120.5 E).
type fixture struct {
	svc   *incident.Service
	store *sqlitestore.Store
	snap  atomic.Pointer[version.Snapshot]
	clock *clock
	rec   *recorder
	path  string
}

// newFixture starts a fixture; edit changes the options before New.
func newFixture(t testing.TB, edit func(*incident.Options)) *fixture {
	t.Helper()
	f := &fixture{clock: &clock{now: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}, rec: &recorder{},
		path: filepath.Join(t.TempDir(), "incidents.db")}
	f.snap.Store(tinySnapshot(t, "1", 120.5))
	st, err := sqlitestore.Open(f.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.store = st
	o := incident.Options{Store: st, Current: f.snap.Load, Publisher: f.rec, Sinks: []incident.Sink{f.rec}, Counter: f.rec, Now: f.clock.Now,
		Deadlines: incident.Deadlines{Default: 72 * time.Hour, ByCategory: map[string]time.Duration{"治安": time.Hour}}}
	if edit != nil {
		edit(&o)
	}
	f.svc, err = incident.New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// The actors of the tests.
var (
	admin      = incident.Actor{Role: "admin", KeyID: "k0"}
	dispatcher = incident.Actor{Role: "dispatcher", KeyID: "k1", Name: "centre"}
	supervisor = incident.Actor{Role: "supervisor", KeyID: "k2"}
	hotline    = incident.Actor{Role: "reporter", KeyID: "k3", Name: "12345"}
)

// worker is the actor of a grid worker's key of staff id.
func worker(id string) incident.Actor {
	return incident.Actor{Role: "grid_worker", KeyID: "kw" + id, Staff: id}
}

// testRoster staffs G11 with a full-time worker (W11) and a volunteer,
// G12 with a volunteer only, T1 with a grid leader (L1), and nobody
// responsible in T2, G21 or C.
const testRoster = `grid,id,name,role,phone
G11,W11,王网格,专职网格员,13800001111
G11,V11,志愿甲,志愿者,13800001112
G12,V12,志愿乙,志愿者,13800001212
T1,L1,李镇长,网格长,13800000001
T2,V2,志愿丙,志愿者,13800000002
`

// report files an incident of category at (lon, lat), WGS84.
func (f *fixture) report(t testing.TB, lon, lat float64, category string) incident.Incident {
	t.Helper()
	inc, created, err := f.svc.Report(context.Background(), incident.NewIncident{Lon: lon, Lat: lat, Category: category, Source: "12345",
		Reporter: incident.Reporter{Name: "赵报告", Phone: "13912345678"}}, hotline, "")
	if err != nil || !created {
		t.Fatalf("report: %v (created %v)", err, created)
	}
	return inc
}

// act takes a step that must succeed.
func (f *fixture) act(t testing.TB, id incident.ID, req incident.ActionRequest, by incident.Actor) incident.Incident {
	t.Helper()
	inc, _, err := f.svc.Act(context.Background(), id, req, by)
	if err != nil {
		t.Fatalf("%s by %s: %v", req.Action, by.Role, err)
	}
	return inc
}

// staffRoles is a place's roles with names and the first responsible.
func staffRoles(names ...string) staff.Roles {
	return staff.Roles{Names: names, Responsible: []string{"not-a-name"}}
}
