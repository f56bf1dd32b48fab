package incident

// EventKind names what an Event tells the wall (the SSE event name).
type EventKind string

// The kinds of events of GET /api/v1/stream.
const (
	// EventIncident: a new incident (Event.Incident set).
	EventIncident EventKind = "incident"
	// EventTransition: a step of an existing incident (Event.Transition
	// and Event.Incident, as it is after the step).
	EventTransition EventKind = "transition"
	// EventCounts: the per-grid counts that changed (Event.Counts).
	EventCounts EventKind = "counts"
)

// Event is one thing the live wall is told. ID is the Seq of the
// transition it comes from (a counts event carries the Seq of the last
// transition it covers): a client resumes after it with Last-Event-ID.
type Event struct {
	ID         uint64      `json:"id"`
	Kind       EventKind   `json:"kind"`
	Incident   *Incident   `json:"incident,omitempty"`
	Transition *Transition `json:"transition,omitempty"`
	Counts     []GridCount `json:"counts,omitempty"`
}

// GridCount is the current figures of one grid for the wall's colours: the
// grid's code and layer, its incidents in total, still open (not closed or
// rejected) and overdue.
type GridCount struct {
	Layer   string `json:"layer"`
	Code    string `json:"code"`
	Total   int    `json:"total"`
	Open    int    `json:"open"`
	Overdue int    `json:"overdue"`
	Closed  int    `json:"closed"`
}

// Publisher is told of every event after it is stored (package live's Hub
// implements it).
type Publisher interface {
	Publish(Event)
}
