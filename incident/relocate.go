package incident

import (
	"context"
	"errors"
	"fmt"

	"github.com/paulmach/orb"
)

// Relocate re-derives the chains of the incidents that pass f against the
// version served now, recording a relocate transition ("from version X to
// Y") on each whose chain or version changed; their status, assignee and
// history stay. Only an admin or a dispatcher may ask (ErrForbidden). An
// incident whose point is in no grid of the version now is left as it
// was and counted in Outside; one another change overtook meanwhile is
// left for a later relocation.
func (s *Service) Relocate(ctx context.Context, f Filter, by Actor) (RelocateResult, error) {
	if by.Role != RoleAdmin && by.Role != RoleDispatcher {
		return RelocateResult{}, fmt.Errorf("%w: role %q may not relocate", ErrForbidden, by.Role)
	}
	snap := s.opts.Current()
	if snap == nil {
		return RelocateResult{}, ErrNoVersion
	}
	id := snap.Manifest.ID
	res := RelocateResult{Version: id}
	f.Cursor, f.Limit = "", MaxLimit
	for {
		page, next, err := s.opts.Store.List(ctx, f)
		if err != nil {
			return res, fmt.Errorf("relocate: %w", err)
		}
		for _, inc := range page {
			res.Examined++
			chain, err := locate(snap, orb.Point{inc.Lon, inc.Lat}, s.nearestM())
			if errors.Is(err, ErrOutside) {
				res.Outside++
				continue
			}
			if err != nil {
				return res, fmt.Errorf("relocate: %w", err)
			}
			moved := !sameChain(inc.Chain, chain)
			if !moved && inc.Version == id {
				continue
			}
			err = s.relocateOne(ctx, inc, chain, id, by)
			if errors.Is(err, ErrConflict) {
				continue
			}
			if err != nil {
				return res, err
			}
			res.Changed++
			if moved {
				res.Moved++
			}
		}
		if next == "" {
			return res, nil
		}
		f.Cursor = next
	}
}

// relocateOne stores inc with chain of version id.
func (s *Service) relocateOne(ctx context.Context, inc Incident, chain []Link, id string, by Actor) error {
	now := s.opts.Now().UTC()
	after := inc
	after.Chain, after.Version, after.UpdatedAt = chain, id, now
	t := Transition{Incident: inc.ID, Action: ActRelocate, From: inc.Status, To: inc.Status, At: now, Actor: by,
		Note: fmt.Sprintf("from version %s to %s", inc.Version, id)}
	mu := s.stepLock(inc.ID)
	mu.Lock()
	defer mu.Unlock()
	seq, err := s.opts.Store.Apply(ctx, inc, after, t)
	if err != nil {
		return fmt.Errorf("relocate incident %d: %w", inc.ID, err)
	}
	t.Seq = seq
	s.notify(EventTransition, after, t, inc.Chain)
	return nil
}
