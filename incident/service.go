package incident

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
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
	Field string `json:"field"`
	Line  int    `json:"line,omitempty"`
	Msg   string `json:"msg"`
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
	// Changed counts the incidents given the new version (a relocate
	// transition each).
	Changed int `json:"changed"`
	// Moved counts those of Changed whose chain changed (the others
	// only took the new version's id).
	Moved int `json:"moved"`
	// Outside counts the incidents left as they were because the
	// active version has no grid for their point.
	Outside int `json:"outside"`
}

// Service is the incident loop: report, list, act, relocate, dispatch and
// escalate, over a Store. It is safe for concurrent use.
type Service struct {
	opts   Options
	roster atomic.Pointer[staff.Roster]
	// rosterMu serialises roster imports.
	rosterMu sync.Mutex
	// steps serialise the store-then-notify of the steps of one incident
	// (by ID modulo their number), so that the sinks and the wall hear of
	// its steps in the order they were stored.
	steps [64]sync.Mutex
	// boxes are the served version's grid bounds for bbox listings,
	// built on the first of each version under boxMu.
	boxes atomic.Pointer[boxGrids]
	boxMu sync.Mutex
	// fol is set when the service follows a shared store (own.go).
	fol *follower
}

// stepLock returns the lock of incident id's steps.
func (s *Service) stepLock(id ID) *sync.Mutex { return &s.steps[uint64(id)%uint64(len(s.steps))] }

// New returns the service of o's store, after telling the sinks of every
// stored incident and loading the active roster. It fills o's defaults
// (see Options) and refuses options it cannot use.
func New(ctx context.Context, o Options) (*Service, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	s := &Service{opts: o}
	if err := s.startFollowing(ctx); err != nil {
		return nil, err
	}
	if len(o.Sinks) > 0 {
		err := s.opts.Store.Scan(ctx, func(inc Incident) error {
			s.put(inc)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("incident service: load incidents: %w", err)
		}
	}
	r, err := s.opts.Store.Roster(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("incident service: load roster: %w", err)
	}
	if r == nil {
		r = &staff.Roster{}
	}
	r.Roles = o.Roles
	r.Index()
	s.roster.Store(r)
	return s, nil
}

// defaults checks o and fills its zero fields.
func (o *Options) defaults() error {
	if o.Store == nil {
		return errors.New("incident service: no store")
	}
	if o.Current == nil {
		return errors.New("incident service: no current version")
	}
	if o.NearestM == 0 {
		o.NearestM = DefaultNearestM
	}
	if o.Deadlines.Default == 0 && len(o.Deadlines.ByCategory) == 0 {
		o.Deadlines.Default = DefaultDeadline
	}
	if o.Deadlines.Default < 0 {
		return fmt.Errorf("incident service: negative default deadline %v", o.Deadlines.Default)
	}
	for c, d := range o.Deadlines.ByCategory {
		if d <= 0 {
			return fmt.Errorf("incident service: deadline of category %q is %v, want a positive duration", c, d)
		}
	}
	if len(o.Roles.Names) == 0 {
		o.Roles = staff.DefaultRoles
	}
	if err := o.Roles.Validate(); err != nil {
		return fmt.Errorf("incident service: %w", err)
	}
	if o.SweepEvery <= 0 {
		o.SweepEvery = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return nil
}

// put tells every sink of inc.
func (s *Service) put(inc Incident) {
	for _, k := range s.opts.Sinks {
		k.Put(inc)
	}
}

// notify tells the sinks of inc as it is after t, then the publisher of
// the event and of the changed counts of inc's chain and of also (the
// chain it had before a relocation).
func (s *Service) notify(kind EventKind, inc Incident, t Transition, also []Link) {
	s.put(inc)
	p := s.opts.Publisher
	if p == nil {
		return
	}
	p.Publish(Event{ID: t.Seq, Kind: kind, Incident: &inc, Transition: &t})
	if s.opts.Counter == nil {
		return
	}
	chain := inc.Chain
	if len(also) > 0 {
		chain = append(slices.Clip(also), chain...)
	}
	if counts := s.opts.Counter.Counts(chain); len(counts) > 0 {
		p.Publish(Event{ID: t.Seq, Kind: EventCounts, Counts: counts})
	}
}

// Get returns an incident and its whole history.
func (s *Service) Get(ctx context.Context, id ID) (Incident, []Transition, error) {
	return s.opts.Store.Get(ctx, id)
}

// List returns a page of the incidents that pass f and the next cursor.
// A BBox listing without Grid or Grids walks the grids of the served
// version that hold the box's incidents (Filter.Grids; see bbox.go), the
// box still filtering the points exactly; an incident stored with an older
// version is found this way only if its chain holds a code of them (a
// relocate brings old incidents onto the served version).
func (s *Service) List(ctx context.Context, f Filter) ([]Incident, string, error) {
	if f.BBox != nil && f.Grid == "" && f.Grids == nil {
		if codes, ok := s.bboxGrids(*f.BBox, f.Limit); ok {
			f.Grids = codes
		}
	}
	return s.opts.Store.List(ctx, f)
}

// Run sweeps deadlines every Options.SweepEvery until ctx ends; a failed
// sweep is logged and tried again at the next tick. Over a store shared
// with other processes (a Follower) it also follows their writes
// (follow.go).
func (s *Service) Run(ctx context.Context) {
	if s.fol != nil {
		done := make(chan struct{})
		go func() { defer close(done); s.follow(ctx) }()
		defer func() { <-done }()
	}
	tick := time.NewTicker(s.opts.SweepEvery)
	defer tick.Stop()
	for {
		if n, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
			s.opts.Log.Error("deadline sweep", "err", err)
		} else if n > 0 {
			s.opts.Log.Info("deadline sweep", "overdue", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
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
