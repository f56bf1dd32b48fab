package incident

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gridmap/gridmap/staff"
)

// Key is an idempotency key and the incident it names.
type Key struct {
	Key      string `json:"key"`
	Incident ID     `json:"incident"`
}

// Restorer is a Store that takes records as another store holds them:
// incidents with their IDs, transitions with their Seqs, idempotency keys,
// roster versions with their IDs (Copy; gridmap migrate copy). Each
// Restore method stores what it is given that the store does not hold
// yet and leaves alone what it holds (the same ID, Seq, key or version
// ID), which it names for the caller to compare. A store that numbers
// new incidents and transitions goes on after the greatest restored.
type Restorer interface {
	// RestoreIncidents stores incidents as given (IDs kept; not their
	// history) and returns the IDs of those it held already.
	RestoreIncidents(ctx context.Context, incs []Incident) (present []ID, err error)
	// RestoreTransitions stores transitions as given (Seqs kept; their
	// incidents must be stored) and returns the Seqs it held already.
	RestoreTransitions(ctx context.Context, ts []Transition) (present []uint64, err error)
	// RestoreKeys stores idempotency keys and returns those it held
	// already, as it holds them.
	RestoreKeys(ctx context.Context, keys []Key) (present []Key, err error)
	// Keys returns the idempotency keys after after (in the store's key
	// order; "" for the first), at most limit.
	Keys(ctx context.Context, after string, limit int) ([]Key, error)
	// RestoreRoster stores r under its version as given (ID, Created,
	// Source, SHA256; made the active one when Active) and reports
	// whether a version of that ID was stored already (then nothing
	// is written).
	RestoreRoster(ctx context.Context, r *staff.Roster) (present bool, err error)
}

// ErrCopyDiffers is the error of a Copy into a store holding another
// record under an ID, Seq, key or roster version of the source.
var ErrCopyDiffers = errors.New("the destination holds a different record")

// copyPage is how many incidents, transitions or keys Copy moves at once.
const copyPage = MaxLimit

// Copy copies every roster version (the active one kept active), every
// incident with its whole history (IDs and Seqs kept) and, when both
// stores are Restorers, the idempotency keys, from one store into another
// (gridmap migrate copy); to must be a Restorer. It is resumable: what to
// already holds identically is skipped, what differs is an error wrapping
// ErrCopyDiffers. Times are compared to the microsecond (the PostgreSQL
// store's resolution). from should not change meanwhile.
func Copy(ctx context.Context, from, to Store) error {
	dst, ok := to.(Restorer)
	if !ok {
		return fmt.Errorf("copy incidents: the destination store (%T) cannot take records as they are", to)
	}
	if err := copyRosters(ctx, from, to, dst); err != nil {
		return fmt.Errorf("copy rosters: %w", err)
	}
	if err := copyIncidents(ctx, from, to, dst); err != nil {
		return fmt.Errorf("copy incidents: %w", err)
	}
	if err := copyTransitions(ctx, from, to, dst); err != nil {
		return fmt.Errorf("copy history: %w", err)
	}
	if src, ok := from.(Restorer); ok {
		if err := copyKeys(ctx, src, dst); err != nil {
			return fmt.Errorf("copy idempotency keys: %w", err)
		}
	}
	return nil
}

// copyRosters copies every roster version of from, oldest first.
func copyRosters(ctx context.Context, from, to Store, dst Restorer) error {
	vs, err := from.Rosters(ctx)
	if err != nil {
		return err
	}
	for _, v := range slices.Backward(vs) {
		r, err := from.Roster(ctx, v.ID)
		if err != nil {
			return err
		}
		present, err := dst.RestoreRoster(ctx, r)
		if err != nil {
			return err
		}
		if !present {
			continue
		}
		had, err := to.Roster(ctx, v.ID)
		if err != nil {
			return err
		}
		if err := same("roster "+v.ID, rosterForm(had), rosterForm(r)); err != nil {
			return err
		}
	}
	return nil
}

// copyIncidents copies every incident of from, in ID order, a page at a
// time.
func copyIncidents(ctx context.Context, from, to Store, dst Restorer) error {
	page := make([]Incident, 0, copyPage)
	flush := func() error {
		present, err := dst.RestoreIncidents(ctx, page)
		if err != nil {
			return err
		}
		for _, id := range present {
			i := slices.IndexFunc(page, func(inc Incident) bool { return inc.ID == id })
			had, _, err := to.Get(ctx, id)
			if err != nil {
				return err
			}
			if err := same(fmt.Sprintf("incident %d", id), incidentForm(had), incidentForm(page[i])); err != nil {
				return err
			}
		}
		page = page[:0]
		return nil
	}
	err := from.Scan(ctx, func(inc Incident) error {
		if page = append(page, inc); len(page) == copyPage {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// copyTransitions copies every transition of from, in Seq order, a page
// at a time.
func copyTransitions(ctx context.Context, from, to Store, dst Restorer) error {
	var last uint64
	for {
		page, err := from.Since(ctx, last, copyPage)
		if err != nil || len(page) == 0 {
			return err
		}
		present, err := dst.RestoreTransitions(ctx, page)
		if err != nil {
			return err
		}
		if err := sameTransitions(ctx, to, page, present); err != nil {
			return err
		}
		last = page[len(page)-1].Seq
	}
}

// sameTransitions returns nil when to holds the transitions of page whose
// Seqs are present as page has them.
func sameTransitions(ctx context.Context, to Store, page []Transition, present []uint64) error {
	if len(present) == 0 {
		return nil
	}
	had, err := to.Since(ctx, page[0].Seq-1, len(page))
	if err != nil {
		return err
	}
	for _, seq := range present {
		i := slices.IndexFunc(page, func(t Transition) bool { return t.Seq == seq })
		j := slices.IndexFunc(had, func(t Transition) bool { return t.Seq == seq })
		if j < 0 {
			return fmt.Errorf("transition %d: %w (the destination named it stored, then did not list it)", seq, ErrCopyDiffers)
		}
		if err := same(fmt.Sprintf("transition %d", seq), transitionForm(had[j]), transitionForm(page[i])); err != nil {
			return err
		}
	}
	return nil
}

// copyKeys copies every idempotency key of src, a page at a time.
func copyKeys(ctx context.Context, src, dst Restorer) error {
	after := ""
	for {
		page, err := src.Keys(ctx, after, copyPage)
		if err != nil || len(page) == 0 {
			return err
		}
		present, err := dst.RestoreKeys(ctx, page)
		if err != nil {
			return err
		}
		for _, k := range present {
			if i := slices.IndexFunc(page, func(p Key) bool { return p.Key == k.Key }); i < 0 || page[i] != k {
				return fmt.Errorf("idempotency key of incident %d: %w", k.Incident, ErrCopyDiffers)
			}
		}
		after = page[len(page)-1].Key
	}
}

// same returns nil when got and want encode to the same JSON, else an
// error wrapping ErrCopyDiffers naming what.
func same(what string, got, want any) error {
	g, err := json.Marshal(got)
	if err != nil {
		return err
	}
	w, err := json.Marshal(want)
	if err != nil {
		return err
	}
	if string(g) != string(w) {
		return fmt.Errorf("%s: %w", what, ErrCopyDiffers)
	}
	return nil
}

// micro is t to the microsecond, in UTC.
func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// incidentForm is inc as Copy compares it: times to the microsecond.
func incidentForm(inc Incident) Incident {
	for _, p := range [...]*time.Time{&inc.OccurredAt, &inc.ReportedAt, &inc.Deadline, &inc.HandledAt, &inc.ClosedAt, &inc.UpdatedAt} {
		*p = micro(*p)
	}
	return inc
}

// transitionForm is t as Copy compares it: its time to the microsecond.
func transitionForm(t Transition) Transition {
	t.At = micro(t.At)
	return t
}

// rosterForm is r as Copy compares it: its version (created to the
// microsecond), roles and people.
func rosterForm(r *staff.Roster) any {
	v := r.Version
	v.Created = micro(v.Created)
	return struct {
		V staff.Version
		R staff.Roles
		P []staff.Person
	}{v, r.Roles, r.People}
}
