package incident_test

import (
	"context"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
)

// TestSweep moves the clock past deadlines: the open incidents past theirs
// are marked overdue once, and those being handled escalate up the chain.
func TestSweep(t *testing.T) {
	f := newFixture(t, nil) // 治安: 1 h, the rest 72 h
	f.importRoster(t)
	ctx := context.Background()
	fresh := f.report(t, 120.25, 31.5, "治安").ID    // stays reported
	handling := f.report(t, 120.25, 31.5, "治安").ID // dispatched to W11, accepted
	slow := f.report(t, 120.25, 31.5, "市容环境").ID   // 72 h
	handled := f.report(t, 120.25, 31.5, "治安").ID  // handled in time
	for _, id := range []incident.ID{handling, handled} {
		f.act(t, id, incident.ActionRequest{Action: "assess"}, dispatcher)
		f.act(t, id, incident.ActionRequest{Action: "dispatch"}, dispatcher)
		f.act(t, id, incident.ActionRequest{Action: "accept"}, worker("W11"))
	}
	f.act(t, handled, incident.ActionRequest{Action: "handle"}, worker("W11"))

	if n, err := f.svc.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("sweep before any deadline: %d, %v", n, err)
	}
	f.clock.Add(2 * time.Hour)
	n, err := f.svc.Sweep(ctx)
	if err != nil || n != 2 {
		t.Fatalf("sweep: %d marked, %v; want 2", n, err)
	}
	want := map[incident.ID]struct {
		overdue  bool
		assignee string
		escal    int
		last     incident.Action
	}{
		fresh:    {true, "", 0, "overdue"},
		handling: {true, "L1", 1, "escalate"},
		slow:     {false, "", 0, "report"},
		handled:  {false, "W11", 0, "handle"},
	}
	for id, w := range want {
		inc, hist, err := f.svc.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		last := hist[len(hist)-1]
		if inc.Overdue != w.overdue || inc.Assignee != w.assignee || inc.Escalations != w.escal || last.Action != w.last {
			t.Errorf("incident %d: overdue %v assignee %q escalations %d last %s; want %+v", id, inc.Overdue, inc.Assignee, inc.Escalations, last.Action, w)
		}
		if w.overdue && last.Actor.Role != "system" {
			t.Errorf("incident %d: %s by %+v, want the system", id, last.Action, last.Actor)
		}
	}
	if n, err := f.svc.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("second sweep: %d, %v; want 0", n, err)
	}
	// the escalated incident now belongs to the town's leader
	f.act(t, handling, incident.ActionRequest{Action: "handle"}, worker("L1"))
}

// TestSweepPages: more overdue incidents than a page of List.
func TestSweepPages(t *testing.T) {
	if testing.Short() {
		t.Skip("stores 1,100 incidents")
	}
	f := newFixture(t, nil)
	for range incident.MaxLimit + 100 {
		f.report(t, 121.5, 31.5, "治安")
	}
	f.clock.Add(2 * time.Hour)
	n, err := f.svc.Sweep(context.Background())
	if err != nil || n != incident.MaxLimit+100 {
		t.Fatalf("sweep: %d, %v", n, err)
	}
}

// TestRun sweeps until its context ends.
func TestRun(t *testing.T) {
	f := newFixture(t, func(o *incident.Options) { o.SweepEvery = time.Millisecond })
	id := f.report(t, 121.5, 31.5, "治安").ID
	f.clock.Add(2 * time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.svc.Run(ctx); close(done) }()
	for {
		inc, _, err := f.svc.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if inc.Overdue {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
}
