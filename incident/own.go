package incident

import (
	"context"
	"fmt"
	"sync"
)

// follower is what a Service following a shared store keeps: which
// transitions it stored itself, so that the follow loop skips them.
//
// A write of this process is told of by the service itself once the
// store returns; the loop reads every transition from the store and must
// tell apart those. Each write takes a ticket before it calls the store
// and hands it back with its Seqs after: once the loop has read a page,
// it waits until every write in flight at that moment has ended
// (settle); a transition of the page that none of them, nor an earlier
// write, claimed was stored by another process. A write that failed
// after its commit (a lost connection) claims nothing: the loop tells of
// it instead.
type follower struct {
	store Follower
	mu    sync.Mutex
	ended *sync.Cond
	// ticket is the last ticket taken; open the tickets of the writes in
	// flight; own the Seqs of this process's writes not yet passed.
	ticket uint64
	open   map[uint64]struct{}
	own    map[uint64]struct{}
	// last is the Seq the loop has passed (the loop's alone).
	last uint64
}

// startFollowing makes s follow its store when the store is a Follower
// and there is someone to tell (sinks or a publisher): the service's
// writes then go through ownStore. The loop starts from the store's last
// Seq as of now (before the sinks are loaded).
func (s *Service) startFollowing(ctx context.Context) error {
	f, ok := s.opts.Store.(Follower)
	if !ok || (len(s.opts.Sinks) == 0 && s.opts.Publisher == nil) {
		return nil
	}
	last, err := f.LastSeq(ctx)
	if err != nil {
		return fmt.Errorf("incident service: %w", err)
	}
	s.fol = &follower{store: f, open: map[uint64]struct{}{}, own: map[uint64]struct{}{}, last: last}
	s.fol.ended = sync.NewCond(&s.fol.mu)
	s.opts.Store = ownStore{Follower: f, f: s.fol}
	return nil
}

// begin takes the ticket of a write about to call the store.
func (f *follower) begin() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ticket++
	f.open[f.ticket] = struct{}{}
	return f.ticket
}

// end hands back ticket t with the Seqs its write stored (none when it
// failed).
func (f *follower) end(t uint64, seqs ...uint64) {
	f.mu.Lock()
	delete(f.open, t)
	for _, seq := range seqs {
		if seq > 0 {
			f.own[seq] = struct{}{}
		}
	}
	f.mu.Unlock()
	f.ended.Broadcast()
}

// settle waits until every write in flight now has ended.
func (f *follower) settle() {
	f.mu.Lock()
	defer f.mu.Unlock()
	upto := f.ticket
	for f.inFlight(upto) {
		f.ended.Wait()
	}
}

// inFlight reports whether a write of a ticket up to upto is in flight;
// f.mu is held.
func (f *follower) inFlight(upto uint64) bool {
	for t := range f.open {
		if t <= upto {
			return true
		}
	}
	return false
}

// foreign returns the transitions of page another process stored.
func (f *follower) foreign(page []Transition) []Transition {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Transition
	for _, t := range page {
		if _, mine := f.own[t.Seq]; !mine {
			out = append(out, t)
		}
	}
	return out
}

// passed records that the loop has told of page.
func (f *follower) passed(page []Transition) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, t := range page {
		delete(f.own, t.Seq)
	}
	f.last = page[len(page)-1].Seq
}

// ownStore is the Follower a following Service writes through: each
// write takes a ticket of f and hands back the Seqs it stored.
type ownStore struct {
	Follower
	f *follower
}

// Create is CreateSeq without the Seq.
func (o ownStore) Create(ctx context.Context, inc Incident, t Transition, idemKey string) (Incident, bool, error) {
	stored, _, created, err := o.CreateSeq(ctx, inc, t, idemKey)
	return stored, created, err
}

// CreateSeq stores through the Follower, claiming the Seq it assigns.
func (o ownStore) CreateSeq(ctx context.Context, inc Incident, t Transition, idemKey string) (Incident, uint64, bool, error) {
	tk := o.f.begin()
	stored, seq, created, err := o.Follower.CreateSeq(ctx, inc, t, idemKey)
	if err != nil || !created {
		seq = 0
	}
	o.f.end(tk, seq)
	return stored, seq, created, err
}

// CreateMany stores through the Follower, claiming the Seqs it assigns
// (set in place).
func (o ownStore) CreateMany(ctx context.Context, batch []Record) (int, error) {
	tk := o.f.begin()
	n, err := o.Follower.CreateMany(ctx, batch)
	var seqs []uint64
	for _, r := range batch {
		if r.Incident.ID != 0 {
			for _, t := range r.Transitions {
				seqs = append(seqs, t.Seq)
			}
		}
	}
	o.f.end(tk, seqs...)
	return n, err
}

// Apply stores through the Follower, claiming the Seq it assigns.
func (o ownStore) Apply(ctx context.Context, expect, after Incident, t Transition) (uint64, error) {
	tk := o.f.begin()
	seq, err := o.Follower.Apply(ctx, expect, after, t)
	if err != nil {
		seq = 0
	}
	o.f.end(tk, seq)
	return seq, err
}
