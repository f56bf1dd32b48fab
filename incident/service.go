package incident

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/gridmap/gridmap/staff"
	"github.com/gridmap/gridmap/version"
)

// Errors of the Service (besides the Store's), wrapped with context; the
// HTTP layer maps them in one place.
var (
	// ErrOutside: the point is in no grid, nor within Options.NearestM of
	// one (422).
	ErrOutside = errors.New("point outside every grid")
	// ErrNotAllowed: the action cannot be taken from the incident's
	// status (409), or the action is unknown (400 via FieldError).
	ErrNotAllowed = errors.New("action not allowed in this status")
	// ErrForbidden: the actor's role may not take the action, or a grid
	// worker acts on an incident not assigned to it (403).
	ErrForbidden = errors.New("role may not take this action")
	// ErrNoVersion: no boundary version is served yet (503).
	ErrNoVersion = version.ErrNoVersion
)

// FieldError is a bad field of a request: Field names it (JSON member or
// CSV column), Line its 1-based line in a CSV file (0: not a file), Msg
// says what is wrong (400, or 422 for a value out of range).
type FieldError struct {
	Field string
	Line  int
	Msg   string
}

func (e *FieldError) Error() string {
	if e.Line > 0 {
		return "line " + itoa(e.Line) + ": " + e.Field + ": " + e.Msg
	}
	return e.Field + ": " + e.Msg
}

// Sink is told of every incident as stored: each one at start (from
// Store.Scan), then each after every change, so that figures (package
// stats) and the incident tiles stay current. Put replaces what an earlier
// Put of the same ID said.
type Sink interface {
	Put(Incident)
}

// Counter gives the wall's figures of the grids of a chain (package stats
// implements it), for the counts events.
type Counter interface {
	Counts(chain []Link) []GridCount
}

// Deadlines are the time allowed per category from report to handled;
// Default for the categories not listed (zero: no deadline).
type Deadlines struct {
	Default    time.Duration
	ByCategory map[string]time.Duration
}

// Options configure a Service.
type Options struct {
	// Store keeps the incidents; required.
	Store Store
	// Current returns the boundary version served (incidents are located
	// in it); required.
	Current func() *version.Snapshot
	// Publisher is told of every stored event (the live wall); may be nil.
	Publisher Publisher
	// Sinks are told of every incident (stats, tiles).
	Sinks []Sink
	// Counter gives the counts events; nil: none sent.
	Counter Counter
	// NearestM: a point outside every grid is given the nearest grid's
	// chain within this many metres (Link.Nearest); 0: DefaultNearestM,
	// negative: never.
	NearestM float64
	// Deadlines per category; the zero value: DefaultDeadline for all.
	Deadlines Deadlines
	// Roles are the roster's role names and who is responsible; zero:
	// staff.DefaultRoles.
	Roles staff.Roles
	// SweepEvery is how often Run looks for incidents past their
	// deadline; default 30 s.
	SweepEvery time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Log receives what the service does (never personal data); default
	// discards it.
	Log *slog.Logger
}

// DefaultNearestM is the nearest fallback distance when Options.NearestM is
// zero: a hotline address geocoded onto a road just outside the county
// edge still lands in the grid beside it.
const DefaultNearestM = 200

// DefaultDeadline is the time to handle an incident of a category without
// its own deadline: 72 hours.
const DefaultDeadline = 72 * time.Hour

// NewIncident is a report as received (POST /api/v1/incidents).
type NewIncident struct {
	// Lon, Lat in the system CRS (a name of geo/crs; "" = wgs84).
	Lon, Lat    float64
	CRS         string
	Category    string
	Source      string
	ExternalRef string
	Description string
	Reporter    Reporter
	OccurredAt  time.Time
}

// ActionRequest is one step asked for (POST /api/v1/incidents/{id}/actions).
type ActionRequest struct {
	Action Action `json:"action"`
	Note   string `json:"note,omitempty"`
	// Assignee is the staff id to dispatch or escalate to; empty: the
	// responsible person of the finest grid, escalating up the chain.
	Assignee string `json:"assignee,omitempty"`
	// Rating is the reporter's satisfaction, 1–5 (feedback: required).
	Rating int `json:"rating,omitempty"`
}

// RelocateResult says what a relocation did.
type RelocateResult struct {
	Version  string `json:"version"`
	Examined int    `json:"examined"`
	Changed  int    `json:"changed"`
	// Outside counts the incidents left as they were because the
	// active version has no grid for their point.
	Outside int `json:"outside"`
}

// Service is the incident loop: report, list, act, relocate, dispatch and
// escalate, over a Store. It is safe for concurrent use.
type Service struct {
	opts Options
}

// New returns the service of o's store, after telling the sinks of every
// stored incident.
func New(ctx context.Context, o Options) (*Service, error) {
	panic("incident.New: to be written (issue 17, part service)")
}

// Report locates a new incident in the version served, stores it (status
// reported) and tells the publisher and sinks. A retry with the same
// idempotency key, or of the same Source+ExternalRef, returns the stored
// incident with created false and stores nothing.
func (s *Service) Report(ctx context.Context, in NewIncident, by Actor, idemKey string) (inc Incident, created bool, err error) {
	panic("to be written")
}

// Get returns an incident and its whole history.
func (s *Service) Get(ctx context.Context, id ID) (Incident, []Transition, error) {
	return s.opts.Store.Get(ctx, id)
}

// List returns a page of the incidents that pass f and the next cursor.
func (s *Service) List(ctx context.Context, f Filter) ([]Incident, string, error) {
	return s.opts.Store.List(ctx, f)
}

// Act takes one step on incident id, checked against its status and the
// actor's role (Rules), and returns the incident after it.
func (s *Service) Act(ctx context.Context, id ID, req ActionRequest, by Actor) (Incident, Transition, error) {
	panic("to be written")
}

// Relocate re-derives the chains of the incidents that pass f against the
// version served now, recording a relocate transition on each that
// changed.
func (s *Service) Relocate(ctx context.Context, f Filter, by Actor) (RelocateResult, error) {
	panic("to be written")
}

// Sweep marks the open incidents past their deadline overdue and escalates
// them up their chain; Run calls it every Options.SweepEvery. It returns
// how many it marked.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	panic("to be written")
}

// Run sweeps deadlines until ctx ends.
func (s *Service) Run(ctx context.Context) {
	panic("to be written")
}

// ImportRoster reads a staff roster from CSV (see staff.ReadCSV), stores it
// as a new version and makes it the one dispatch uses.
func (s *Service) ImportRoster(ctx context.Context, r io.Reader, source string) (staff.Version, error) {
	panic("to be written")
}

// Roster returns the active roster.
func (s *Service) Roster() *staff.Roster {
	panic("to be written")
}

// ImportCSV stores historical incidents from CSV (a year of a county in
// one command: see importcsv.go for the columns), each located in the
// version served, and returns how many it stored.
func (s *Service) ImportCSV(ctx context.Context, r io.Reader, by Actor) (int, error) {
	panic("to be written")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
