package incident

import (
	"context"
	"errors"
	"time"

	"github.com/gridmap/gridmap/staff"
)

// Errors of a Store, wrapped with context; the HTTP layer maps them to
// statuses in one place.
var (
	// ErrNotFound: no incident of that id (404).
	ErrNotFound = errors.New("incident not found")
	// ErrConflict: the incident is no longer in the status the change
	// expected (another change came first; 409).
	ErrConflict = errors.New("incident changed meanwhile")
	// ErrUnavailable: the store cannot be reached (a shared database
	// gone away); the write may be retried later (503). What the service
	// holds in memory is still served.
	ErrUnavailable = errors.New("incident store unavailable")
)

// Store is where incidents, their history and the staff rosters last. An
// embedded SQLite file is the default (incident/sqlitestore); a PostgreSQL
// store satisfies the same interface and the same contract tests
// (incident/storetest). Every method is safe for concurrent use. A write
// that returned nil survives a kill of the process.
type Store interface {
	// Create stores a new incident and its first transition (Action
	// report) and assigns their ID and Seq, unless the idempotency key
	// (when not empty) or the incident's Source+ExternalRef (when
	// ExternalRef is not empty) already names one: then it stores
	// nothing and returns that one with created false.
	Create(ctx context.Context, inc Incident, t Transition, idemKey string) (stored Incident, created bool, err error)
	// CreateMany stores incidents of a bulk import, each with its whole
	// history (transitions in order, Seq assigned), skipping those whose
	// Source+ExternalRef is already stored; it returns how many it stored.
	CreateMany(ctx context.Context, batch []Record) (int, error)
	// Apply stores one step: the incident as it is after the step, and the
	// transition, if the incident's stored UpdatedAt and Status are still
	// those of expect (else ErrConflict). It assigns and returns the
	// transition's Seq.
	Apply(ctx context.Context, expect Incident, after Incident, t Transition) (seq uint64, err error)
	// Get returns one incident and its whole history, oldest first.
	Get(ctx context.Context, id ID) (Incident, []Transition, error)
	// List returns the incidents that pass f, newest ReportedAt first (ties:
	// higher ID first), at most f.Limit, and the cursor of the next page
	// ("" at the end).
	List(ctx context.Context, f Filter) (list []Incident, next string, err error)
	// Scan calls fn with every incident, in ID order (loading the
	// figures at start); fn's error stops it.
	Scan(ctx context.Context, fn func(Incident) error) error
	// Since returns the transitions after seq, oldest first, at most
	// limit (a live client resuming with Last-Event-ID).
	Since(ctx context.Context, seq uint64, limit int) ([]Transition, error)

	// PutRoster stores a roster as a new version and makes it the active
	// one; it returns the version.
	PutRoster(ctx context.Context, r *staff.Roster) (staff.Version, error)
	// Roster returns the active roster (an empty one when none was ever
	// stored) or the version of that id.
	Roster(ctx context.Context, id string) (*staff.Roster, error)
	// Rosters lists the roster versions, newest first.
	Rosters(ctx context.Context) ([]staff.Version, error)

	// Close releases the store.
	Close() error
}

// Record is one incident of a bulk import with its history.
type Record struct {
	Incident    Incident
	Transitions []Transition
}

// Filter selects incidents (GET /api/v1/incidents). Zero fields select
// everything.
type Filter struct {
	// Grid is a grid code of any layer: the incidents whose chain holds
	// it.
	Grid string
	// Grids, when not nil, are grid codes of one layer: the incidents
	// whose chain holds any of them (an empty, non-nil list selects
	// nothing). Codes of one layer are disjoint, so no incident is listed
	// twice. Service.List sets it for a BBox listing (see bbox.go); a
	// store walks the codes' ranges of its grid index, each newest first.
	Grids    []string
	Status   []Status
	Category []string
	Source   []string
	// From and To bound ReportedAt: From <= t < To.
	From, To time.Time
	// BBox bounds the point, WGS84: [minLon, minLat, maxLon, maxLat];
	// nil: none.
	BBox *[4]float64
	// Overdue, when not nil, selects overdue (true) or not overdue
	// (false) incidents.
	Overdue *bool
	// Assignee selects the incidents assigned to this staff id.
	Assignee string
	// Cursor continues a listing (the next of a List); Limit caps the
	// page (0: DefaultLimit; at most MaxLimit).
	Cursor string
	Limit  int
}

// DefaultLimit and MaxLimit bound a page of List.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// SeqCreator is a Store whose Create can also tell the Seq it gave the
// first transition (the event id of the new incident). Service.Report uses
// it when the store has it; otherwise it reads the incident back for the
// Seq, which took 39 % of a report's CPU with the SQLite store.
type SeqCreator interface {
	// CreateSeq is Create, also returning the Seq of t when created.
	CreateSeq(ctx context.Context, inc Incident, t Transition, idemKey string) (stored Incident, seq uint64, created bool, err error)
}
