package incident

import "time"

// ID identifies an incident in its store: assigned on creation, increasing.
type ID int64

// Status is where an incident stands in the loop.
type Status string

// The statuses of the loop, in its order; Returned and Rejected are off the
// main path. Closed and Rejected are final.
const (
	Reported   Status = "reported"
	Assessed   Status = "assessed"
	Dispatched Status = "dispatched"
	Handling   Status = "handling"
	Handled    Status = "handled"
	Feedback   Status = "feedback"
	Closed     Status = "closed"
	Returned   Status = "returned"
	Rejected   Status = "rejected"
)

// Statuses lists every status in the loop's order.
var Statuses = []Status{Reported, Assessed, Dispatched, Handling, Handled, Feedback, Closed, Returned, Rejected}

// Final reports whether s ends the loop (closed or rejected).
func (s Status) Final() bool { return s == Closed || s == Rejected }

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}

// Reporter is who reported an incident. Both fields are personal data:
// never logged, and masked (MaskName, MaskPhone) for roles that may not see
// them (CanSeePersonal).
type Reporter struct {
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Link is one grid of an incident's chain, finest first: the shape of a
// lookup's chain element (layer, code, name, level), without the per-point
// boundary flag.
type Link struct {
	Layer string `json:"layer"`
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level string `json:"level,omitempty"`
	// Nearest is true when no grid covered the point and this chain is
	// that of the nearest grid within Options.NearestM; DistanceM is then
	// the distance in metres.
	Nearest   bool    `json:"nearest,omitempty"`
	DistanceM float64 `json:"distance_m,omitempty"`
}

// Incident is one incident as stored and answered.
type Incident struct {
	ID     ID     `json:"id"`
	Status Status `json:"status"`
	// Lon and Lat are the located point, WGS84 degrees.
	Lon float64 `json:"lon"`
	Lat float64 `json:"lat"`
	// CRS is the coordinate system the point was given in (a name of
	// geo/crs: wgs84, gcj02, bd09…); InputLon/InputLat the point as given.
	CRS      string  `json:"crs"`
	InputLon float64 `json:"input_lon"`
	InputLat float64 `json:"input_lat"`

	Category    string   `json:"category"`
	Source      string   `json:"source"`
	ExternalRef string   `json:"external_ref,omitempty"`
	Description string   `json:"description,omitempty"`
	Reporter    Reporter `json:"reporter"`
	// OccurredAt is when it happened (as reported; zero: unknown),
	// ReportedAt when gridmap received it (or, for a historical import,
	// when the source system did).
	OccurredAt time.Time `json:"occurred_at,omitzero"`
	ReportedAt time.Time `json:"reported_at"`

	// Version is the boundary version the chain was located with; Chain
	// the grids, finest first. A later boundary change does not touch
	// them; Service.Relocate does, when an operator asks.
	Version string `json:"version"`
	Chain   []Link `json:"chain"`

	// Assignee is the staff id of the person it is dispatched to, and
	// AssigneeGrid the code of the grid whose person that is (the finest
	// grid, or an ancestor after escalation); empty before dispatch.
	Assignee     string `json:"assignee,omitempty"`
	AssigneeGrid string `json:"assignee_grid,omitempty"`
	// Escalations counts the moves up the chain (no one responsible in a
	// grid, or overdue).
	Escalations int `json:"escalations"`
	// Deadline is when it must be handled (per category, from
	// ReportedAt); Overdue is set once the deadline passes before it is
	// handled (督办).
	Deadline time.Time `json:"deadline,omitzero"`
	Overdue  bool      `json:"overdue"`
	// HandledAt and ClosedAt are when it reached handled and closed (zero
	// before); Rating is the reporter's satisfaction, 1–5 (0: none).
	HandledAt time.Time `json:"handled_at,omitzero"`
	ClosedAt  time.Time `json:"closed_at,omitzero"`
	Rating    int       `json:"rating,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Finest returns the incident's finest grid code, or "" when it has none.
func (i *Incident) Finest() string {
	if len(i.Chain) == 0 {
		return ""
	}
	return i.Chain[0].Code
}

// Actor is who made a change: the API key's id, name and role, and for a
// grid worker the staff id the key belongs to. The system (deadline
// escalation, bulk import) acts as Actor{Role: "system"}.
type Actor struct {
	KeyID string `json:"key_id,omitempty"`
	Name  string `json:"name,omitempty"`
	Role  string `json:"role"`
	Staff string `json:"staff,omitempty"`
}

// System is the actor of what gridmap does by itself (escalations).
var System = Actor{Role: "system", Name: "system"}

// Transition is one step in an incident's history: every change, including
// its creation (Action "report"), time-stamped and attributed.
type Transition struct {
	// Seq numbers every transition of the store, increasing: the live
	// stream's event id.
	Seq      uint64    `json:"seq"`
	Incident ID        `json:"incident"`
	Action   Action    `json:"action"`
	From     Status    `json:"from,omitempty"`
	To       Status    `json:"to"`
	At       time.Time `json:"at"`
	Actor    Actor     `json:"actor"`
	Note     string    `json:"note,omitempty"`
	// Assignee and AssigneeGrid after the step, when it dispatched or
	// escalated.
	Assignee     string `json:"assignee,omitempty"`
	AssigneeGrid string `json:"assignee_grid,omitempty"`
	// Rating given with a feedback step, 1–5.
	Rating int `json:"rating,omitempty"`
}
