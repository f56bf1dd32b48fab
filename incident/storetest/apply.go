package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
)

// step is inc after an assess (or any action to status to) a minute later.
func step(inc incident.Incident, a incident.Action, to incident.Status) (incident.Incident, incident.Transition) {
	after := inc
	after.Status = to
	after.UpdatedAt = inc.UpdatedAt.Add(time.Minute)
	tr := incident.Transition{Action: a, From: inc.Status, To: to, At: after.UpdatedAt,
		Actor: incident.Actor{KeyID: "k2", Name: "desk", Role: "dispatcher", Staff: "S001"}, Note: "ok"}
	return after, tr
}

// testApply: steps are stored in order with increasing seqs.
func testApply(t *testing.T, s incident.Store) {
	rng := seeded(t)
	in := fixture(rng, 0)
	in.Status = incident.Reported
	cur, _ := create(t, s, in, "")
	path := []struct {
		a  incident.Action
		to incident.Status
	}{{incident.ActAssess, incident.Assessed}, {incident.ActDispatch, incident.Dispatched}, {incident.ActAccept, incident.Handling}}
	var seqs []uint64
	for _, p := range path {
		after, tr := step(cur, p.a, p.to)
		if p.a == incident.ActDispatch {
			after.Assignee, after.AssigneeGrid = "S009", after.Chain[0].Code
			tr.Assignee, tr.AssigneeGrid = after.Assignee, after.AssigneeGrid
		}
		seq, err := s.Apply(ctx, cur, after, tr)
		if err != nil {
			t.Fatalf("%s: %v", p.a, err)
		}
		seqs = append(seqs, seq)
		cur = after
	}
	got, hist, err := s.Get(ctx, cur.ID)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "after the steps", got, cur)
	if len(hist) != 4 {
		t.Fatalf("history of %d steps, want 4", len(hist))
	}
	for i, p := range path {
		h := hist[i+1]
		if h.Seq != seqs[i] || h.Action != p.a || h.To != p.to || h.Incident != cur.ID || h.Seq <= hist[i].Seq {
			t.Fatalf("step %d: %+v, want %s to %s seq %d", i+1, h, p.a, p.to, seqs[i])
		}
	}
	if list := ids(t, s, incident.Filter{Assignee: "S009"}); len(list) != 1 || list[0] != cur.ID {
		t.Fatalf("assignee listing after dispatch: %v", list)
	}
}

// testApplyConflict: a step from a stale incident is ErrConflict and
// stores nothing; a step on an unknown incident is ErrNotFound.
func testApplyConflict(t *testing.T, s incident.Store) {
	rng := seeded(t)
	in := fixture(rng, 0)
	in.Status = incident.Reported
	cur, _ := create(t, s, in, "")
	after, tr := step(cur, incident.ActAssess, incident.Assessed)
	if _, err := s.Apply(ctx, cur, after, tr); err != nil {
		t.Fatal(err)
	}
	stale := []struct {
		name   string
		expect incident.Incident
	}{
		{"old status and time", cur},
		{"right status, old time", func() incident.Incident { e := after; e.UpdatedAt = cur.UpdatedAt; return e }()},
		{"right time, old status", func() incident.Incident { e := after; e.Status = cur.Status; return e }()},
	}
	for _, tc := range stale {
		again, tr := step(tc.expect, incident.ActReject, incident.Rejected)
		if _, err := s.Apply(ctx, tc.expect, again, tr); !errors.Is(err, incident.ErrConflict) {
			t.Fatalf("%s: %v, want ErrConflict", tc.name, err)
		}
	}
	got, hist, err := s.Get(ctx, cur.ID)
	if err != nil || got.Status != incident.Assessed || len(hist) != 2 {
		t.Fatalf("after refused steps: %s, %d steps, %v", got.Status, len(hist), err)
	}
	ghost := after
	ghost.ID = 987654
	next, tr := step(ghost, incident.ActDispatch, incident.Dispatched)
	if _, err := s.Apply(ctx, ghost, next, tr); !errors.Is(err, incident.ErrNotFound) {
		t.Fatalf("step on an unknown incident: %v, want ErrNotFound", err)
	}
}

// testApplyRelocates: a step that changes the chain moves the incident to
// the new grids' listings.
func testApplyRelocates(t *testing.T, s incident.Store) {
	rng := seeded(t)
	in := fixture(rng, 0)
	in.Chain = chains[0]
	cur, _ := create(t, s, in, "")
	after, tr := step(cur, incident.ActRelocate, cur.Status)
	after.Chain, after.Version = chains[4], "v2"
	if _, err := s.Apply(ctx, cur, after, tr); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		grid string
		n    int
	}{{"G01", 0}, {"V1", 0}, {"T1", 0}, {"G05", 1}, {"V3", 1}, {"T2", 1}, {"320281", 1}} {
		if got := len(ids(t, s, incident.Filter{Grid: tc.grid})); got != tc.n {
			t.Fatalf("grid %s after relocation: %d incidents, want %d", tc.grid, got, tc.n)
		}
	}
}
