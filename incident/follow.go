package incident

import (
	"context"
	"fmt"
	"time"
)

// Change is what a Follower tells of a commit to the store shared by
// several processes.
type Change struct {
	// Seq is the highest Seq the commit stored; 0: not known (after a
	// reconnection, commits may have gone untold): read on.
	Seq uint64
	// Roster is set when a roster version was stored (or may have been):
	// another one may be active now.
	Roster bool
}

// Merge returns the change that tells what c and d tell: the higher Seq
// (0 when either is 0), Roster when either has it.
func (c Change) Merge(d Change) Change {
	seq := max(c.Seq, d.Seq)
	if c.Seq == 0 || d.Seq == 0 {
		seq = 0
	}
	return Change{Seq: seq, Roster: c.Roster || d.Roster}
}

// Follower is a Store that several processes share (incident/pgstore):
// it tells of every commit, so that the Service of each process keeps its
// sinks (figures, incident tiles), its publisher (the live wall) and its
// roster current with what the others write. Service.Run follows it when
// the service has sinks or a publisher: it reads the transitions after
// the last it passed (Since) whenever told, feeds its sinks and publisher
// once for each transition another process stored, and skips those it
// stored itself. A Follower's CreateMany sets the stored records' IDs and
// their transitions' Seqs in place.
type Follower interface {
	Store
	SeqCreator
	// Changes returns a channel that receives a Change after each commit
	// that stored transitions or a roster, by any process (this one
	// included), until ctx ends; then it is closed. Changes not yet
	// received may be merged into one; when the store reconnects it
	// sends one of Seq 0.
	Changes(ctx context.Context) <-chan Change
	// LastSeq returns the highest Seq committed (0: none): every
	// transition of a lower Seq is committed or never will be.
	LastSeq(ctx context.Context) (uint64, error)
}

// The follower's pace: it reads on every followPoll even when told
// nothing (a fallback), and after a failed read tries again after
// followRetry, doubled each time up to followRetryMax.
const (
	followPoll     = 10 * time.Second
	followRetry    = 100 * time.Millisecond
	followRetryMax = 5 * time.Second
)

// follow tails the store's transitions until ctx ends, telling the sinks
// and the publisher of those other processes stored, and reloads the
// roster when another was stored. A read that fails (the database gone)
// is tried again with backoff; nothing is skipped meanwhile.
func (s *Service) follow(ctx context.Context) {
	changes := s.fol.store.Changes(ctx)
	poll := time.NewTicker(followPoll)
	defer poll.Stop()
	var (
		behind, roster = true, false
		retry          <-chan time.Time
		delay          = followRetry
		failing        error
	)
	for {
		err := s.followStep(ctx, &behind, &roster)
		switch {
		case err != nil && ctx.Err() == nil:
			if failing == nil {
				s.opts.Log.Warn("following the incident store", "err", err)
			}
			failing, retry = err, time.After(delay)
			delay = min(2*delay, followRetryMax)
		case err == nil && failing != nil:
			s.opts.Log.Info("following the incident store again", "seq", s.fol.last)
			failing, retry, delay = nil, nil, followRetry
		}
		select {
		case <-ctx.Done():
			return
		case c, ok := <-changes:
			if !ok {
				return
			}
			behind = behind || c.Seq == 0 || c.Seq > s.fol.last
			roster = roster || c.Roster
		case <-poll.C:
			behind = true
		case <-retry:
		}
	}
}

// followStep reloads the roster and reads on, as flagged; each flag is
// cleared once done.
func (s *Service) followStep(ctx context.Context, behind, roster *bool) error {
	if *roster {
		if err := s.reloadRoster(ctx); err != nil {
			return err
		}
		*roster = false
	}
	if *behind {
		if err := s.catchUp(ctx); err != nil {
			return err
		}
		*behind = false
	}
	return nil
}

// catchUp reads the transitions after the last one passed, page by page,
// and tells of those another process stored.
func (s *Service) catchUp(ctx context.Context) error {
	f := s.fol
	for {
		page, err := f.store.Since(ctx, f.last, MaxLimit)
		if err != nil {
			return fmt.Errorf("read transitions after %d: %w", f.last, err)
		}
		if len(page) == 0 {
			return nil
		}
		// the writes of this process in flight now may have stored
		// some of page: once they end, their Seqs are known
		f.settle()
		if err := s.tell(ctx, f.foreign(page)); err != nil {
			return err
		}
		f.passed(page)
		if len(page) < MaxLimit {
			return nil
		}
	}
}

// tell feeds the sinks and the publisher with the transitions another
// process stored, an incident at a time (in the order of its first
// transition, under its step lock, as read now).
func (s *Service) tell(ctx context.Context, ts []Transition) error {
	var order []ID
	byID := map[ID][]Transition{}
	for _, t := range ts {
		if _, ok := byID[t.Incident]; !ok {
			order = append(order, t.Incident)
		}
		byID[t.Incident] = append(byID[t.Incident], t)
	}
	for _, id := range order {
		if err := s.tellOne(ctx, id, byID[id]); err != nil {
			return err
		}
	}
	return nil
}

// tellOne tells the sinks of incident id as it is now and the publisher of
// its transitions ts, then of its grids' counts.
func (s *Service) tellOne(ctx context.Context, id ID, ts []Transition) error {
	mu := s.stepLock(id)
	mu.Lock()
	defer mu.Unlock()
	inc, _, err := s.opts.Store.Get(ctx, id)
	if err != nil {
		return fmt.Errorf("read incident %d: %w", id, err)
	}
	s.put(inc)
	p := s.opts.Publisher
	if p == nil {
		return nil
	}
	for _, t := range ts {
		kind := EventTransition
		if t.Action == ActReport {
			kind = EventIncident
		}
		p.Publish(Event{ID: t.Seq, Kind: kind, Incident: &inc, Transition: &t})
	}
	if s.opts.Counter != nil {
		if counts := s.opts.Counter.Counts(inc.Chain); len(counts) > 0 {
			p.Publish(Event{ID: ts[len(ts)-1].Seq, Kind: EventCounts, Counts: counts})
		}
	}
	return nil
}

// reloadRoster makes the store's active roster the one dispatch uses,
// when another process stored another.
func (s *Service) reloadRoster(ctx context.Context) error {
	s.rosterMu.Lock()
	defer s.rosterMu.Unlock()
	r, err := s.opts.Store.Roster(ctx, "")
	if err != nil {
		return fmt.Errorf("reload the roster: %w", err)
	}
	if cur := s.roster.Load(); cur != nil && cur.Version.ID == r.Version.ID {
		return nil
	}
	r.Roles = s.opts.Roles
	r.Index()
	s.roster.Store(r)
	s.opts.Log.Info("roster changed by another process", "version", r.Version.ID, "people", r.Version.People)
	return nil
}
