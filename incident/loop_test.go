package incident_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
)

// importRoster imports testRoster.
func (f *fixture) importRoster(t testing.TB) {
	t.Helper()
	if _, err := f.svc.ImportRoster(context.Background(), strings.NewReader(testRoster), "roster.csv"); err != nil {
		t.Fatal(err)
	}
}

// TestLoopToClosure follows one incident from report to closure and
// checks its history, times, assignee and the events published.
func TestLoopToClosure(t *testing.T) {
	f := newFixture(t, nil)
	f.importRoster(t)
	ctx := context.Background()
	inc := f.report(t, 120.25, 31.5, "市容环境")
	id := inc.ID
	f.clock.Add(time.Minute)
	f.act(t, id, incident.ActionRequest{Action: "assess", Note: "属实"}, dispatcher)
	inc = f.act(t, id, incident.ActionRequest{Action: "dispatch"}, dispatcher)
	if inc.Assignee != "W11" || inc.AssigneeGrid != "G11" || inc.Escalations != 0 {
		t.Fatalf("dispatched to %s of %s (%d escalations), want W11 of G11", inc.Assignee, inc.AssigneeGrid, inc.Escalations)
	}
	// another worker may not take it, the assignee may
	if _, _, err := f.svc.Act(ctx, id, incident.ActionRequest{Action: "accept"}, worker("V11")); !errors.Is(err, incident.ErrForbidden) {
		t.Fatalf("accept by another worker: %v", err)
	}
	f.act(t, id, incident.ActionRequest{Action: "accept"}, worker("W11"))
	f.clock.Add(time.Hour)
	inc = f.act(t, id, incident.ActionRequest{Action: "handle", Note: "已清理"}, worker("W11"))
	if !inc.HandledAt.Equal(f.clock.Now()) {
		t.Errorf("handled at %v, want %v", inc.HandledAt, f.clock.Now())
	}
	for _, r := range []int{0, 6, -1} {
		_, _, err := f.svc.Act(ctx, id, incident.ActionRequest{Action: "feedback", Rating: r}, supervisor)
		var fe *incident.FieldError
		if !errors.As(err, &fe) || fe.Field != "rating" {
			t.Errorf("feedback rating %d: %v, want a field error on rating", r, err)
		}
	}
	inc = f.act(t, id, incident.ActionRequest{Action: "feedback", Rating: 4}, supervisor)
	if inc.Rating != 4 {
		t.Errorf("rating %d", inc.Rating)
	}
	// a step from the wrong status
	if _, _, err := f.svc.Act(ctx, id, incident.ActionRequest{Action: "handle"}, worker("W11")); !errors.Is(err, incident.ErrNotAllowed) {
		t.Errorf("handle from feedback: %v, want ErrNotAllowed", err)
	}
	f.clock.Add(time.Minute)
	inc = f.act(t, id, incident.ActionRequest{Action: "close"}, dispatcher)
	if inc.Status != incident.Closed || !inc.ClosedAt.Equal(f.clock.Now()) || !inc.Status.Final() {
		t.Errorf("closed %+v", inc)
	}

	got, hist, err := f.svc.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != incident.Closed || got.Assignee != "W11" || got.Rating != 4 {
		t.Errorf("stored %+v", got)
	}
	want := []struct {
		action   incident.Action
		from, to incident.Status
		role     string
	}{
		{"report", "", "reported", "reporter"},
		{"assess", "reported", "assessed", "dispatcher"},
		{"dispatch", "assessed", "dispatched", "dispatcher"},
		{"accept", "dispatched", "handling", "grid_worker"},
		{"handle", "handling", "handled", "grid_worker"},
		{"feedback", "handled", "feedback", "supervisor"},
		{"close", "feedback", "closed", "dispatcher"},
	}
	if len(hist) != len(want) {
		t.Fatalf("%d transitions, want %d: %+v", len(hist), len(want), hist)
	}
	for i, w := range want {
		h := hist[i]
		if h.Action != w.action || h.From != w.from || h.To != w.to || h.Actor.Role != w.role || h.Incident != id {
			t.Errorf("transition %d: %+v, want %+v", i, h, w)
		}
		if i > 0 && (h.Seq <= hist[i-1].Seq || h.At.Before(hist[i-1].At)) {
			t.Errorf("transition %d out of order: %+v after %+v", i, h, hist[i-1])
		}
	}
	if hist[1].Note != "属实" || hist[2].Assignee != "W11" || hist[5].Rating != 4 {
		t.Errorf("notes, assignee or rating lost: %+v", hist)
	}
	// the wall heard of the report and of every step, with their seq
	var seqs []uint64
	for _, e := range f.rec.events {
		if e.Incident == nil || e.Incident.ID != id {
			continue
		}
		seqs = append(seqs, e.ID)
		if e.Kind == incident.EventTransition && (e.Transition == nil || e.Transition.Seq != e.ID) {
			t.Errorf("event %+v", e)
		}
	}
	if len(seqs) != len(hist) {
		t.Fatalf("%d events, want %d", len(seqs), len(hist))
	}
	for i := range seqs {
		if seqs[i] != hist[i].Seq {
			t.Errorf("event %d has id %d, transition seq %d", i, seqs[i], hist[i].Seq)
		}
	}
	// each event is followed by the counts of the incident's grids
	for i, e := range f.rec.events {
		if e.Kind == incident.EventCounts {
			continue
		}
		if i+1 >= len(f.rec.events) {
			t.Fatalf("no counts after event %d", i)
		}
		c := f.rec.events[i+1]
		if c.Kind != incident.EventCounts || c.ID != e.ID || len(c.Counts) != 3 || c.Counts[0].Code != "G11" || c.Counts[2].Code != "C" {
			t.Errorf("event %d %s is followed by %+v", i, e.Kind, c)
		}
	}
	if f.rec.puts[id].Status != incident.Closed {
		t.Errorf("sink holds %+v", f.rec.puts[id])
	}
}

// TestReturnAndReject: a worker returns its incident to the dispatcher,
// who dispatches it again or rejects it.
func TestReturnAndReject(t *testing.T) {
	f := newFixture(t, nil)
	f.importRoster(t)
	id := f.report(t, 120.25, 31.5, "其他").ID
	f.act(t, id, incident.ActionRequest{Action: "assess"}, dispatcher)
	f.act(t, id, incident.ActionRequest{Action: "dispatch"}, dispatcher)
	inc := f.act(t, id, incident.ActionRequest{Action: "return", Note: "不属本网格"}, worker("W11"))
	if inc.Status != incident.Returned || inc.Assignee != "" {
		t.Fatalf("returned %+v", inc)
	}
	inc = f.act(t, id, incident.ActionRequest{Action: "dispatch", Assignee: "L1"}, dispatcher)
	if inc.Assignee != "L1" || inc.AssigneeGrid != "T1" {
		t.Fatalf("dispatched again to %s of %s", inc.Assignee, inc.AssigneeGrid)
	}
	f.act(t, id, incident.ActionRequest{Action: "return"}, worker("L1"))
	inc = f.act(t, id, incident.ActionRequest{Action: "reject", Note: "重复"}, supervisor)
	if inc.Status != incident.Rejected || !inc.Status.Final() {
		t.Fatalf("rejected %+v", inc)
	}
	// the admin may do everything the loop allows, nothing it does not
	if _, _, err := f.svc.Act(context.Background(), id, incident.ActionRequest{Action: "assess"}, admin); !errors.Is(err, incident.ErrNotAllowed) {
		t.Errorf("assess a rejected incident: %v", err)
	}
	if _, _, err := f.svc.Act(context.Background(), 9999, incident.ActionRequest{Action: "assess"}, admin); !errors.Is(err, incident.ErrNotFound) {
		t.Errorf("act on no incident: %v", err)
	}
}

// TestDispatch: the default goes to the finest grid's responsible person,
// up the chain when it has none; a named assignee must be in the roster.
func TestDispatch(t *testing.T) {
	f := newFixture(t, nil)
	f.importRoster(t)
	ctx := context.Background()
	tests := []struct {
		name        string
		lon         float64
		named       string
		assignee    string
		grid        string
		escalations int
		field       string // of the error; "" none
	}{
		{"finest grid's worker", 120.25, "", "W11", "G11", 0, ""},
		{"volunteer only: up to the town", 120.75, "", "L1", "T1", 1, ""},
		{"nobody in the chain", 121.5, "", "", "", 0, "assignee"},
		{"named", 121.5, "L1", "L1", "T1", 0, ""},
		{"named, serving the chain", 120.25, "V11", "V11", "G11", 0, ""},
		{"named, not in the roster", 120.25, "X9", "", "", 0, "assignee"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := f.report(t, tc.lon, 31.5, "其他").ID
			f.act(t, id, incident.ActionRequest{Action: "assess"}, dispatcher)
			inc, tr, err := f.svc.Act(ctx, id, incident.ActionRequest{Action: "dispatch", Assignee: tc.named}, dispatcher)
			if tc.field != "" {
				var fe *incident.FieldError
				if !errors.As(err, &fe) || fe.Field != tc.field {
					t.Fatalf("error %v, want a field error on %s", err, tc.field)
				}
				if got, _, _ := f.svc.Get(ctx, id); got.Status != incident.Assessed {
					t.Fatalf("a refused dispatch changed the incident: %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if inc.Assignee != tc.assignee || inc.AssigneeGrid != tc.grid || inc.Escalations != tc.escalations {
				t.Fatalf("to %s of %s (%d escalations), want %s of %s (%d)", inc.Assignee, inc.AssigneeGrid, inc.Escalations, tc.assignee, tc.grid, tc.escalations)
			}
			if tr.Assignee != tc.assignee || tr.AssigneeGrid != tc.grid {
				t.Errorf("transition %+v", tr)
			}
		})
	}
}

// TestEscalate: a supervisor moves an incident up its chain; at the top
// there is nobody further.
func TestEscalate(t *testing.T) {
	f := newFixture(t, nil)
	f.importRoster(t)
	ctx := context.Background()
	id := f.report(t, 120.25, 31.5, "其他").ID
	f.act(t, id, incident.ActionRequest{Action: "assess"}, dispatcher)
	f.act(t, id, incident.ActionRequest{Action: "dispatch"}, dispatcher)
	if _, _, err := f.svc.Act(ctx, id, incident.ActionRequest{Action: "escalate"}, worker("W11")); !errors.Is(err, incident.ErrForbidden) {
		t.Fatalf("escalate by a worker: %v", err)
	}
	if _, _, err := f.svc.Act(ctx, id, incident.ActionRequest{Action: "escalate"}, incident.System); !errors.Is(err, incident.ErrForbidden) {
		t.Fatalf("escalate as the system through Act: %v", err)
	}
	inc := f.act(t, id, incident.ActionRequest{Action: "escalate", Note: "久拖不决"}, supervisor)
	if inc.Assignee != "L1" || inc.AssigneeGrid != "T1" || inc.Escalations != 1 || inc.Status != incident.Dispatched {
		t.Fatalf("escalated %+v", inc)
	}
	_, _, err := f.svc.Act(ctx, id, incident.ActionRequest{Action: "escalate"}, supervisor)
	var fe *incident.FieldError
	if !errors.As(err, &fe) || fe.Field != "assignee" {
		t.Fatalf("escalate above the top: %v", err)
	}
}
