package pgstore_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"path/filepath"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/sqlitestore"
	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/gridmap/gridmap/staff"
)

// synthetic is the i-th incident of a synthetic year (times to the
// microsecond, as both stores keep them) with its closed loop's history.
func synthetic(rng *rand.Rand, i int) incident.Record {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*517*time.Second + time.Duration(rng.Intn(1e6))*time.Microsecond)
	g := rng.Intn(40)
	inc := incident.Incident{
		Status: incident.Closed, Lon: 120.1 + rng.Float64()*0.4, Lat: 31.7 + rng.Float64()*0.2, CRS: "gcj02",
		InputLon: 120.2, InputLat: 31.8, Category: []string{"市容环境", "安全隐患", "矛盾纠纷"}[rng.Intn(3)],
		Source: []string{"12345", "110", "wechat"}[rng.Intn(3)], ExternalRef: fmt.Sprintf("syn-%d", i),
		Description: "路灯不亮", Reporter: incident.Reporter{Name: "王五", Phone: "13912345678"},
		OccurredAt: at.Add(-time.Hour), ReportedAt: at, Version: "v1", Deadline: at.Add(72 * time.Hour),
		Chain: []incident.Link{
			{Layer: "grids", Code: fmt.Sprintf("G%02d", g), Name: "网格", Level: "grid"},
			{Layer: "towns", Code: fmt.Sprintf("T%d", g/10), Name: "镇", Level: "town"},
			{Layer: "county", Code: "320281", Name: "江阴市", Level: "county"},
		},
		Assignee: fmt.Sprintf("S%03d", g), AssigneeGrid: fmt.Sprintf("G%02d", g), Overdue: i%7 == 0, Escalations: i % 3,
		HandledAt: at.Add(3 * time.Hour), ClosedAt: at.Add(5 * time.Hour), Rating: 1 + i%5, UpdatedAt: at.Add(5 * time.Hour),
	}
	if i%9 == 0 {
		inc.Chain[0].Nearest, inc.Chain[0].DistanceM = true, 12.5
	}
	steps := []incident.Action{incident.ActReport, incident.ActAssess, incident.ActDispatch, incident.ActHandle, incident.ActClose}
	to := []incident.Status{incident.Reported, incident.Assessed, incident.Dispatched, incident.Handled, incident.Closed}
	hist := make([]incident.Transition, len(steps))
	for k, a := range steps {
		hist[k] = incident.Transition{Action: a, To: to[k], At: at.Add(time.Duration(k) * time.Hour), Actor: incident.System, Note: "步骤"}
		if k > 0 {
			hist[k].From = to[k-1]
		}
	}
	return incident.Record{Incident: inc, Transitions: hist}
}

// fillSynthetic stores n synthetic incidents, a few more reported with
// idempotency keys and stepped, and two roster versions in s.
func fillSynthetic(t *testing.T, s incident.Store, n int) {
	t.Helper()
	rng := rand.New(rand.NewSource(int64(n)))
	batch := make([]incident.Record, n)
	for i := range batch {
		batch[i] = synthetic(rng, i)
	}
	if got, err := s.CreateMany(ctx, batch); err != nil || got != n {
		t.Fatalf("CreateMany: %d, %v", got, err)
	}
	for i := range 20 {
		r := synthetic(rng, n+i)
		inc := r.Incident
		inc.Status, inc.ExternalRef, inc.HandledAt, inc.ClosedAt = incident.Reported, "", time.Time{}, time.Time{}
		stored, _, err := s.Create(ctx, inc, r.Transitions[0], fmt.Sprintf("key-%02d", i))
		if err != nil {
			t.Fatal(err)
		}
		after := stored
		after.Status, after.UpdatedAt = incident.Assessed, stored.UpdatedAt.Add(time.Minute)
		if _, err := s.Apply(ctx, stored, after, r.Transitions[1]); err != nil {
			t.Fatal(err)
		}
	}
	for k, people := range []int{5, 3} {
		r := &staff.Roster{Version: staff.Version{Source: fmt.Sprintf("staff%d.csv", k), SHA256: "sha", Created: time.Date(2026, 2, 1+k, 0, 0, 0, 0, time.UTC)},
			Roles: staff.DefaultRoles}
		for p := range people {
			r.People = append(r.People, staff.Person{Grid: fmt.Sprintf("G%02d", p), ID: fmt.Sprintf("S%03d", p), Name: "李四", Role: staff.DefaultRoles.Names[0], Phone: "13800000000"})
		}
		if _, err := s.PutRoster(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
}

// contents is everything a store holds, as JSON: incidents in ID order,
// transitions in Seq order, roster versions with their people, keys.
func contents(t *testing.T, s incident.Store) string {
	t.Helper()
	var all struct {
		Incidents   []incident.Incident
		Transitions []incident.Transition
		Rosters     []*staff.Roster
		Keys        []incident.Key
	}
	if err := s.Scan(ctx, func(inc incident.Incident) error { all.Incidents = append(all.Incidents, inc); return nil }); err != nil {
		t.Fatal(err)
	}
	for last := uint64(0); ; {
		page, err := s.Since(ctx, last, incident.MaxLimit)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		all.Transitions = append(all.Transitions, page...)
		last = page[len(page)-1].Seq
	}
	vs, err := s.Rosters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		r, err := s.Roster(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		all.Rosters = append(all.Rosters, r)
	}
	if all.Keys, err = s.(incident.Restorer).Keys(ctx, "", 1000); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCopyRoundTrip copies a SQLite store of 3,000 incidents (15,040
// transitions, 20 idempotency keys, two roster versions) into PostgreSQL
// and from there into a new SQLite store: all three hold the same. A
// second copy finds everything there and writes nothing; a copy over a
// changed incident is refused; the stores number on after the copy.
func TestCopyRoundTrip(t *testing.T) {
	dir := t.TempDir()
	a, err := sqlitestore.Open(filepath.Join(dir, "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	fillSynthetic(t, a, 3000)
	want := contents(t, a)
	p := open(t, migrated(t, pgtest.NewDB(t)))
	if err := incident.Copy(ctx, a, p); err != nil {
		t.Fatal(err)
	}
	b, err := sqlitestore.Open(filepath.Join(dir, "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := incident.Copy(ctx, p, b); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]incident.Store{"postgres": p, "sqlite after the round trip": b} {
		if got := contents(t, s); got != want {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%s holds another store, from byte %d:\n got %.300s\nwant %.300s", name, i, got[max(i-100, 0):], want[max(i-100, 0):])
		}
	}
	if err := incident.Copy(ctx, a, p); err != nil {
		t.Fatalf("copy again: %v", err)
	}
	if got := contents(t, p); got != want {
		t.Fatal("a second copy changed the destination")
	}
	// both number on after what they took
	for name, s := range map[string]incident.Store{"postgres": p, "sqlite": b} {
		r := synthetic(rand.New(rand.NewSource(1)), 9999)
		inc, seq, created, err := s.(incident.SeqCreator).CreateSeq(ctx, r.Incident, r.Transitions[0], "")
		if err != nil || !created || inc.ID != 3021 || seq != 15041 {
			t.Fatalf("%s: a new incident after the copy: id %d seq %d created %v, %v; want 3021, 15041", name, inc.ID, seq, created, err)
		}
	}
	cur, _, err := p.Get(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	after := cur
	after.Rating = 1 + cur.Rating%5
	if _, err := p.Apply(ctx, cur, after, incident.Transition{Action: incident.ActFeedback, From: cur.Status, To: cur.Status, At: cur.UpdatedAt}); err != nil {
		t.Fatal(err)
	}
	if err := incident.Copy(ctx, b, p); !errors.Is(err, incident.ErrCopyDiffers) {
		t.Fatalf("copy over other incidents: %v, want ErrCopyDiffers", err)
	}
}
