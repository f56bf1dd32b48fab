package incident

import (
	"fmt"

	"github.com/gridmap/gridmap/staff"
)

// dispatch assigns inc to the staff id named, or, when none is named, to
// the responsible person of its finest grid, escalating up the chain when
// a grid has nobody responsible (each grid passed counts in Escalations).
// Nobody anywhere in the chain, or a named id not in the roster, is a
// *FieldError on "assignee".
func (s *Service) dispatch(inc *Incident, named string) error {
	ro := s.Roster()
	if named != "" {
		return assignNamed(inc, ro, named)
	}
	p, at, ok := responsibleFrom(ro, s.opts.Roles, inc.Chain, 0, "")
	if !ok {
		return &FieldError{Field: "assignee", Msg: "no responsible person in the chain; name one"}
	}
	inc.Assignee, inc.AssigneeGrid = p.ID, p.Grid
	inc.Escalations += at
	return nil
}

// escalate moves inc to the responsible person of the next grid up its
// chain from AssigneeGrid that has one other than the assignee, or to the
// staff id named. It counts one escalation per grid moved up.
func (s *Service) escalate(inc *Incident, named string) error {
	ro := s.Roster()
	if named != "" {
		if err := assignNamed(inc, ro, named); err != nil {
			return err
		}
		inc.Escalations++
		return nil
	}
	from := chainIndex(inc.Chain, inc.AssigneeGrid)
	p, at, ok := responsibleFrom(ro, s.opts.Roles, inc.Chain, from+1, inc.Assignee)
	if !ok {
		return &FieldError{Field: "assignee", Msg: fmt.Sprintf("no responsible person above grid %q in the chain; name one", inc.AssigneeGrid)}
	}
	inc.Assignee, inc.AssigneeGrid = p.ID, p.Grid
	inc.Escalations += at - from
	return nil
}

// assignNamed assigns inc to staff id named: its grid is the finest grid
// of inc's chain that the person serves, else the person's first grid.
func assignNamed(inc *Incident, ro *staff.Roster, named string) error {
	p, ok := ro.Person(named)
	if !ok {
		return &FieldError{Field: "assignee", Msg: fmt.Sprintf("staff id %q is not in the active roster", named)}
	}
	inc.Assignee, inc.AssigneeGrid = p.ID, p.Grid
	for _, l := range inc.Chain {
		for _, q := range ro.Of(l.Code) {
			if q.ID == named {
				inc.AssigneeGrid = l.Code
				return nil
			}
		}
	}
	return nil
}

// responsibleFrom returns the responsible person of the first grid of
// chain, from position from up, that has one other than staff id not, and
// that grid's position.
func responsibleFrom(ro *staff.Roster, roles staff.Roles, chain []Link, from int, not string) (staff.Person, int, bool) {
	for i := max(from, 0); i < len(chain); i++ {
		for _, role := range roles.Responsible {
			for _, p := range ro.Of(chain[i].Code) {
				if p.Role == role && p.ID != not {
					return p, i, true
				}
			}
		}
	}
	return staff.Person{}, 0, false
}

// chainIndex returns the position of grid code in chain, or -1.
func chainIndex(chain []Link, code string) int {
	for i, l := range chain {
		if l.Code == code {
			return i
		}
	}
	return -1
}
