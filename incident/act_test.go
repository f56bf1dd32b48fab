package incident_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/incident"
)

// pathTo are the admin's steps that bring a new incident to a status.
var pathTo = map[incident.Status][]incident.Action{
	"reported":   nil,
	"assessed":   {"assess"},
	"dispatched": {"assess", "dispatch"},
	"handling":   {"assess", "dispatch", "accept"},
	"handled":    {"assess", "dispatch", "accept", "handle"},
	"feedback":   {"assess", "dispatch", "accept", "handle", "feedback"},
	"closed":     {"assess", "dispatch", "accept", "handle", "feedback", "close"},
	"returned":   {"assess", "dispatch", "return"},
	"rejected":   {"reject"},
}

// TestActEveryStep takes every action from every status by every role
// through the service and its store: a refused step stores nothing and
// leaves the incident as it was; an allowed one (by allowedBy, written by
// hand) moves it, and is recorded with its actor.
func TestActEveryStep(t *testing.T) {
	f := newFixture(t, nil)
	f.importRoster(t)
	ctx := context.Background()
	at := func(status incident.Status) incident.Incident {
		inc := f.report(t, 120.25, 31.5, "其他")
		for _, a := range pathTo[status] {
			inc = f.act(t, inc.ID, incident.ActionRequest{Action: a, Rating: 3}, admin)
		}
		if inc.Status != status {
			t.Fatalf("brought to %s, want %s", inc.Status, status)
		}
		return inc
	}
	actors := map[string]incident.Actor{
		"A": admin, "D": dispatcher, "S": supervisor, "W": worker("W11"), "w": worker("V11"),
		"reporter": hotline, "reader": {Role: "reader"}, "system": incident.System,
	}
	actions := []incident.Action{"assess", "dispatch", "accept", "handle", "feedback", "close", "return", "reject", "escalate", "report", "overdue", "relocate"}
	allowed, refused := 0, 0
	for _, from := range incident.Statuses {
		shared := at(from)
		_, before, err := f.svc.Get(ctx, shared.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range actions {
			for code, by := range actors {
				name := fmt.Sprintf("%s from %s by %s", a, from, code)
				roles, ok := allowedBy[a][from]
				may := ok && (code == "A" || len(code) == 1 && strings.Contains(roles, code))
				if !may {
					refused++
					_, _, err := f.svc.Act(ctx, shared.ID, incident.ActionRequest{Action: a, Rating: 3}, by)
					var fe *incident.FieldError
					if err == nil || !(errors.Is(err, incident.ErrForbidden) || errors.Is(err, incident.ErrNotAllowed) || errors.As(err, &fe)) {
						t.Errorf("%s: %v, want refused", name, err)
					}
					continue
				}
				allowed++
				inc := at(from)
				after, tr, err := f.svc.Act(ctx, inc.ID, incident.ActionRequest{Action: a, Rating: 3, Note: name}, by)
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				_, hist, err := f.svc.Get(ctx, inc.ID)
				if err != nil {
					t.Fatal(err)
				}
				last := hist[len(hist)-1]
				if last.Seq != tr.Seq || last.Action != a || last.From != from || last.To != after.Status || last.Actor != by || last.Note != name {
					t.Errorf("%s: recorded %+v, answered %+v", name, last, tr)
				}
			}
		}
		_, after, err := f.svc.Get(ctx, shared.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Errorf("refused steps from %s stored %d transitions", from, len(after)-len(before))
		}
	}
	t.Logf("%d allowed and %d refused steps", allowed, refused)
	if allowed < 30 || refused < 700 {
		t.Fatalf("only %d allowed and %d refused steps tried", allowed, refused)
	}
}
