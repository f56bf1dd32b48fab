package incident_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/incident"
)

// allowedBy is the loop as the issue states it, written here by hand and
// independently of incident.Rules: for each action and status it comes
// from, the roles that may take it. D dispatcher, S supervisor, W the
// incident's own grid worker. Admin may take every step listed; nobody
// may take one not listed.
var allowedBy = map[incident.Action]map[incident.Status]string{
	"assess":   {"reported": "D"},
	"dispatch": {"assessed": "D", "returned": "D"},
	"accept":   {"dispatched": "W"},
	"handle":   {"handling": "W"},
	"feedback": {"handled": "SD"},
	"close":    {"feedback": "SD"},
	"return":   {"dispatched": "W", "handling": "W", "handled": "S", "feedback": "S"},
	"reject":   {"reported": "DS", "assessed": "DS", "returned": "DS"},
	"escalate": {"dispatched": "S", "handling": "S"},
}

// TestCheckEveryStep tries every action (and some that are none) from
// every status by every role, as the assignee and as another, and checks
// Check against allowedBy.
func TestCheckEveryStep(t *testing.T) {
	actions := []incident.Action{"report", "assess", "dispatch", "accept", "handle", "feedback", "close",
		"return", "reject", "escalate", "overdue", "relocate", "fly", ""}
	actors := []struct {
		code  string // the letter of allowedBy; "" none
		actor incident.Actor
	}{
		{"A", incident.Actor{Role: "admin"}},
		{"D", incident.Actor{Role: "dispatcher", Staff: "S1"}},
		{"S", incident.Actor{Role: "supervisor", Staff: "S1"}},
		{"W", incident.Actor{Role: "grid_worker", Staff: "S1"}}, // the assignee
		{"w", incident.Actor{Role: "grid_worker", Staff: "S2"}}, // another worker
		{"", incident.Actor{Role: "grid_worker"}},               // a worker's key without a staff id
		{"", incident.Actor{Role: "reader"}},
		{"", incident.Actor{Role: "reporter"}},
		{"", incident.Actor{Role: "importer"}},
		{"", incident.Actor{Role: "system"}}, // only the sweep acts as the system
		{"", incident.Actor{}},
	}
	n := 0
	for _, a := range actions {
		for _, from := range incident.Statuses {
			for _, ac := range actors {
				n++
				name := fmt.Sprintf("%s/%s/%s:%s", a, from, ac.actor.Role, ac.actor.Staff)
				rule, err := incident.Check(a, from, ac.actor, "S1")
				byStatus, known := allowedBy[a]
				roles, fromOK := byStatus[from]
				var fe *incident.FieldError
				switch {
				case !known:
					if !errors.As(err, &fe) || fe.Field != "action" {
						t.Errorf("%s: %v, want a field error on action", name, err)
					}
				case !fromOK:
					if !errors.Is(err, incident.ErrNotAllowed) {
						t.Errorf("%s: %v, want ErrNotAllowed", name, err)
					}
				case ac.code == "A" || (ac.code != "" && strings.Contains(roles, ac.code)):
					if err != nil {
						t.Errorf("%s: refused: %v", name, err)
					} else if rule.Action != a {
						t.Errorf("%s: rule %+v", name, rule)
					}
				default:
					if !errors.Is(err, incident.ErrForbidden) {
						t.Errorf("%s: %v, want ErrForbidden", name, err)
					}
				}
			}
		}
	}
	if n != len(actions)*len(incident.Statuses)*len(actors) {
		t.Fatal("not every case ran")
	}
}

// TestCheckTargets: every allowed step leads where the issue says.
func TestCheckTargets(t *testing.T) {
	want := map[incident.Action]incident.Status{
		"assess": "assessed", "dispatch": "dispatched", "accept": "handling", "handle": "handled",
		"feedback": "feedback", "close": "closed", "return": "returned", "reject": "rejected", "escalate": "",
	}
	for a, byStatus := range allowedBy {
		for from := range byStatus {
			r, err := incident.Check(a, from, incident.Actor{Role: "admin"}, "")
			if err != nil {
				t.Fatalf("%s from %s: %v", a, from, err)
			}
			if r.To != want[a] {
				t.Errorf("%s from %s goes to %q, want %q", a, from, r.To, want[a])
			}
		}
	}
}
