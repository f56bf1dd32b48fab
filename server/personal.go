package server

import (
	"github.com/gridmap/gridmap/auth"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/staff"
	"github.com/labstack/echo/v4"
)

// viewer is who reads an answer holding personal data (reporters' and
// staff's names and phone numbers), and so what of it is shown unmasked:
// everything to the roles of staff.CanSeePersonal; to a grid worker the
// reporters of the incidents assigned to it and the staff (its
// colleagues); to every other role and to anonymous callers nothing.
type viewer struct {
	role  string
	staff string
}

// viewerOf returns the viewer of the request of c.
func viewerOf(c echo.Context) viewer {
	if p := principalOf(c); p != nil {
		return viewer{role: string(p.Role), staff: p.Staff}
	}
	return viewer{}
}

// actorOf returns who makes a change in the request of c (the key it was
// authorized with; the bootstrap admin token is role admin).
func actorOf(c echo.Context) incident.Actor {
	p := principalOf(c)
	if p == nil {
		return incident.Actor{}
	}
	return incident.Actor{KeyID: p.KeyID, Name: p.Name, Role: string(p.Role), Staff: p.Staff}
}

// personal reports whether v sees personal data unmasked in general (the
// "personal" of GET /api/v1/me).
func (v viewer) personal() bool { return staff.CanSeePersonal(v.role) }

// seesStaff reports whether v sees staff's names and phones unmasked.
func (v viewer) seesStaff() bool {
	return v.personal() || v.role == string(auth.RoleGridWorker)
}

// incident returns inc as v may see it: its reporter masked unless v may
// see it.
func (v viewer) incident(inc incident.Incident) incident.Incident {
	if v.seesReporter(&inc) {
		return inc
	}
	inc.Reporter = incident.Reporter{Name: staff.MaskName(inc.Reporter.Name), Phone: staff.MaskPhone(inc.Reporter.Phone)}
	return inc
}

// seesReporter reports whether v sees inc's reporter unmasked.
func (v viewer) seesReporter(inc *incident.Incident) bool {
	return v.personal() || v.role == string(auth.RoleGridWorker) && v.staff != "" && inc.Assignee == v.staff
}

// incidents masks list in place and returns it.
func (v viewer) incidents(list []incident.Incident) []incident.Incident {
	for i := range list {
		list[i] = v.incident(list[i])
	}
	return list
}

// people returns ps as v may see them (a copy when masked).
func (v viewer) people(ps []staff.Person) []staff.Person {
	if v.seesStaff() {
		return ps
	}
	out := make([]staff.Person, len(ps))
	for i, p := range ps {
		out[i] = p.Masked()
	}
	return out
}

// event returns e as v may see it.
func (v viewer) event(e incident.Event) incident.Event {
	if e.Incident != nil {
		inc := v.incident(*e.Incident)
		e.Incident = &inc
	}
	return e
}
