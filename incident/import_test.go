package incident_test

import (
	"bytes"
	"context"
	"errors"

	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
)

const importHeader = "source,external_ref,category,lon,lat,reported_at,occurred_at,status,handled_at,closed_at,rating,description,reporter_name,reporter_phone\n"

// TestImportCSV imports one incident of every status, a row outside every
// grid and a bad row, and checks each history against the loop.
func TestImportCSV(t *testing.T) {
	f := newFixture(t, nil)
	f.importRoster(t)
	ctx := context.Background()
	rows := importHeader +
		"12345,R1,市容环境,120.25,31.5,2026-01-02T08:00:00+08:00,2026-01-02T07:30:00+08:00,closed,2026-01-02T12:00:00+08:00,2026-01-03T08:00:00+08:00,5,占道经营,赵报告,13912345678\n" +
		"110,R2,治安,120.25,31.5,2026-01-02T08:00:00+08:00,,handled,2026-01-02T12:00:00+08:00,,,,,\n" + // 1 h deadline: overdue
		"wechat,R3,其他,120.75,31.5,2026-02-27 08:00:00,,handling,,,,,,\n" +
		"sensor,R4,其他,121.5,31.5,2026-02-28T00:00:00Z,,dispatched,,,,,,\n" + // nobody responsible: no assignee
		"12345,R5,其他,120.25,31.5,2026-02-28T00:00:00Z,,returned,,,,,,\n" +
		"12345,R6,其他,120.25,31.5,2026-02-28T00:00:00Z,,rejected,,,,,,\n" +
		"12345,R7,其他,120.25,31.5,2026-02-28T00:00:00Z,,feedback,2026-02-28T05:00:00Z,,3,,,\n" +
		"12345,R8,其他,116.4,39.9,2026-02-28T00:00:00Z,,reported,,,,,,\n" + // outside: line 9
		"12345,R9,其他,120.25,31.5,2026-02-28T00:00:00Z,,closed,,,,,,\n" + // no handled_at: line 10
		"grid_worker,,其他,120.25,31.5,2026-02-28T00:00:00Z,,assessed,,,,,,\n"
	res, err := f.svc.ImportCSV(ctx, strings.NewReader(rows), incident.System)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 10 || res.Stored != 8 || res.Skipped != 2 || res.Outside != 1 || res.Duplicates != 0 || res.Version != "1" {
		t.Fatalf("result %+v", res)
	}
	if len(res.Errors) != 2 || res.Errors[0].Line != 9 || res.Errors[1].Line != 10 || res.Errors[1].Field != "handled_at" {
		t.Fatalf("errors %+v", res.Errors)
	}
	list, _, err := f.svc.List(ctx, incident.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 8 {
		t.Fatalf("%d stored", len(list))
	}
	byRef := map[string]incident.Incident{}
	for _, inc := range list {
		byRef[inc.ExternalRef] = inc
		if f.rec.puts[inc.ID].ID != inc.ID {
			t.Errorf("the sinks were not told of %d", inc.ID)
		}
	}
	check := []struct {
		ref      string
		status   incident.Status
		assignee string
		overdue  bool
	}{
		{"R1", "closed", "W11", false},
		{"R2", "handled", "W11", true},
		{"R3", "handling", "L1", false},
		{"R4", "dispatched", "", false},
		{"R5", "returned", "", false},
		{"R6", "rejected", "", false},
		{"R7", "feedback", "W11", false},
		{"", "assessed", "", false},
	}
	for _, c := range check {
		inc := byRef[c.ref]
		if inc.Status != c.status || inc.Assignee != c.assignee || inc.Overdue != c.overdue {
			t.Errorf("%s: %s assignee %q overdue %v; want %+v", c.ref, inc.Status, inc.Assignee, inc.Overdue, c)
		}
		_, hist, err := f.svc.Get(ctx, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		checkHistory(t, c.ref, inc, hist)
	}
	r1 := byRef["R1"]
	if r1.Rating != 5 || r1.Reporter.Phone != "13912345678" || r1.Chain[0].Code != "G11" || r1.OccurredAt.IsZero() ||
		!r1.ClosedAt.Equal(time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)) || !r1.Deadline.Equal(r1.ReportedAt.Add(72*time.Hour)) {
		t.Errorf("R1 %+v", r1)
	}

	// again: every row with a reference is a duplicate
	res, err = f.svc.ImportCSV(ctx, strings.NewReader(rows), incident.System)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 1 || res.Duplicates != 7 {
		t.Fatalf("second import %+v", res)
	}
}

// checkHistory checks that hist is a walk of the loop from report to
// inc's status, in time order, each step one an admin could take.
func checkHistory(t *testing.T, name string, inc incident.Incident, hist []incident.Transition) {
	t.Helper()
	if len(hist) == 0 || hist[0].Action != "report" || !hist[0].At.Equal(inc.ReportedAt) {
		t.Fatalf("%s: history %+v", name, hist)
	}
	status := incident.Reported
	for i, h := range hist[1:] {
		if h.At.Before(hist[i].At) || h.Seq <= hist[i].Seq {
			t.Errorf("%s: step %d out of order", name, i+1)
		}
		if h.From != status {
			t.Errorf("%s: step %s from %s, the incident was %s", name, h.Action, h.From, status)
		}
		if h.Action == "overdue" {
			if h.To != status || !h.At.Equal(inc.Deadline) {
				t.Errorf("%s: overdue step %+v", name, h)
			}
			continue
		}
		r, err := incident.Check(h.Action, status, incident.Actor{Role: "admin"}, "")
		if err != nil {
			t.Errorf("%s: step %s from %s: %v", name, h.Action, status, err)
		}
		if r.To != "" && h.To != r.To {
			t.Errorf("%s: step %s to %s, want %s", name, h.Action, h.To, r.To)
		}
		status = h.To
	}
	if status != inc.Status {
		t.Errorf("%s: history ends in %s, incident is %s", name, status, inc.Status)
	}
}

// TestImportCSVRefuses: a bad header, broken CSV or no version stop the
// import with an error naming the place.
func TestImportCSVRefuses(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	for _, tc := range []struct{ in, field string }{
		{"source,category,lon,lat,status\n", "reported_at"},
		{importHeader + "12345,\"R1,其他,120.25,31.5,2026-02-28T00:00:00Z,,reported,,,,,,\n", "row"},
	} {
		_, err := f.svc.ImportCSV(ctx, strings.NewReader(tc.in), incident.System)
		var fe *incident.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%q: %v, want a field error on %s", tc.in, err, tc.field)
		}
	}
	f.snap.Store(nil)
	if _, err := f.svc.ImportCSV(ctx, strings.NewReader(importHeader), incident.System); !errors.Is(err, incident.ErrNoVersion) {
		t.Errorf("no version: %v", err)
	}
}

// TestImportRoster: a roster for the version served is taken and used; one
// naming grids the version does not have, or a bad row, is refused with
// its line.
func TestImportRoster(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	if n := len(f.svc.Roster().People); n != 0 {
		t.Fatalf("a fresh store has %d people", n)
	}
	v, err := f.svc.ImportRoster(ctx, strings.NewReader(testRoster), "roster.csv")
	if err != nil {
		t.Fatal(err)
	}
	if v.People != 5 || v.Source != "roster.csv" || len(v.SHA256) != 64 || v.ID == "" {
		t.Fatalf("version %+v", v)
	}
	if p, ok := f.svc.Roster().Responsible("G11", f.svc.Roster().Roles); !ok || p.ID != "W11" {
		t.Fatalf("responsible for G11: %+v %v", p, ok)
	}
	for _, tc := range []struct {
		in    string
		line  int
		field string
	}{
		{"grid,id,name,role\nG11,A,甲,网格长\n320281999,B,乙,网格长\n", 3, "grid"},
		{"grid,id,name,role\nG11,A,甲,村长\n", 2, "role"},
		{"grid,id,name\n", 1, "role"},
	} {
		_, err := f.svc.ImportRoster(ctx, strings.NewReader(tc.in), "bad.csv")
		var fe *incident.FieldError
		if !errors.As(err, &fe) || fe.Line != tc.line || fe.Field != tc.field {
			t.Errorf("%q: %v, want line %d field %s", tc.in, err, tc.line, tc.field)
		}
	}
	if f.svc.Roster().Version.ID != v.ID {
		t.Error("a refused roster replaced the active one")
	}
	// a reopened service dispatches with the stored roster
	f2, err := incident.New(ctx, incident.Options{Store: f.store, Current: f.snap.Load})
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := f2.Roster().Responsible("G11", f2.Roster().Roles); !ok || p.ID != "W11" {
		t.Fatalf("reopened: responsible for G11: %+v %v", p, ok)
	}
}

// TestNewLoadsSinks: a service started on a store tells its sinks of
// every stored incident.
func TestNewLoadsSinks(t *testing.T) {
	f := newFixture(t, nil)
	for range 3 {
		f.report(t, 120.25, 31.5, "其他")
	}
	rec := &recorder{}
	if _, err := incident.New(context.Background(), incident.Options{Store: f.store, Current: f.snap.Load, Sinks: []incident.Sink{rec}}); err != nil {
		t.Fatal(err)
	}
	if len(rec.puts) != 3 {
		t.Fatalf("sink told of %d incidents, want 3", len(rec.puts))
	}
	for _, bad := range []incident.Options{
		{Current: f.snap.Load},
		{Store: f.store},
		{Store: f.store, Current: f.snap.Load, Deadlines: incident.Deadlines{ByCategory: map[string]time.Duration{"治安": -time.Hour}}},
		{Store: f.store, Current: f.snap.Load, Roles: staffRoles("a", "b")},
	} {
		if _, err := incident.New(context.Background(), bad); err == nil {
			t.Errorf("options %+v accepted", bad)
		}
	}
}

// TestLogsNoPersonalData runs the whole loop with a debug log and finds
// no reporter's or staff member's name or phone in it.
func TestLogsNoPersonalData(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := newFixture(t, func(o *incident.Options) { o.Log = log })
	f.importRoster(t)
	ctx := context.Background()
	id := f.report(t, 120.25, 31.5, "治安").ID
	f.act(t, id, incident.ActionRequest{Action: "assess"}, dispatcher)
	f.act(t, id, incident.ActionRequest{Action: "dispatch"}, dispatcher)
	f.clock.Add(2 * time.Hour)
	if _, err := f.svc.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	in := incident.NewIncident{Lon: 116, Lat: 40, Category: "其他", Source: "110", Reporter: incident.Reporter{Name: "赵报告", Phone: "13912345678"}}
	_, _, err := f.svc.Report(ctx, in, hotline, "")
	if !errors.Is(err, incident.ErrOutside) {
		t.Fatal(err)
	}
	rows := importHeader + "12345,R1,其他,120.25,31.5,2026-01-02T08:00:00+08:00,,closed,2026-01-02T12:00:00+08:00,2026-01-03T08:00:00+08:00,5,,赵报告,13912345678\n"
	if _, err := f.svc.ImportCSV(ctx, strings.NewReader(rows), incident.System); err != nil {
		t.Fatal(err)
	}
	if buf.Len() == 0 {
		t.Fatal("nothing logged")
	}
	text := buf.String() + err.Error()
	for _, secret := range []string{"赵报告", "13912345678", "王网格", "13800001111", "李镇长", "13800000001"} {
		if strings.Contains(text, secret) {
			t.Errorf("%q in the log:\n%s", secret, text)
		}
	}
}
