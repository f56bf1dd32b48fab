package incident

import (
	"context"
	"fmt"
	"time"
)

// Report locates a new incident in the version served, stores it (status
// reported) and tells the publisher and sinks. A retry with the same
// idempotency key, or of the same Source+ExternalRef, returns the stored
// incident with created false and stores nothing. A bad field is a
// *FieldError; a point in no grid wraps ErrOutside; no version served,
// ErrNoVersion.
func (s *Service) Report(ctx context.Context, in NewIncident, by Actor, idemKey string) (inc Incident, created bool, err error) {
	now := s.opts.Now().UTC()
	if err := checkNew(&in, now); err != nil {
		return Incident{}, false, err
	}
	p, system, err := toWGS84(in.Lon, in.Lat, in.CRS)
	if err != nil {
		return Incident{}, false, err
	}
	snap := s.opts.Current()
	chain, err := locate(snap, p, s.nearestM())
	if err != nil {
		return Incident{}, false, fmt.Errorf("report %s/%s: %w", in.Source, in.Category, err)
	}
	inc = Incident{
		Status: Reported, Lon: p[0], Lat: p[1], CRS: system, InputLon: in.Lon, InputLat: in.Lat,
		Category: in.Category, Source: in.Source, ExternalRef: in.ExternalRef, Description: in.Description,
		Reporter: in.Reporter, OccurredAt: in.OccurredAt.UTC(), ReportedAt: now,
		Version: snap.Manifest.ID, Chain: chain, Deadline: s.deadline(in.Category, now), UpdatedAt: now,
	}
	if in.OccurredAt.IsZero() {
		inc.OccurredAt = time.Time{}
	}
	t := Transition{Action: ActReport, To: Reported, At: now, Actor: by}
	stored, seq, created, err := s.create(ctx, inc, t, idemKey)
	if err != nil {
		return Incident{}, false, fmt.Errorf("report %s/%s: %w", in.Source, in.Category, err)
	}
	if !created {
		s.opts.Log.Debug("incident report replayed", "id", stored.ID, "source", stored.Source)
		return stored, false, nil
	}
	t.Incident, t.Seq = stored.ID, seq
	s.opts.Log.Debug("incident reported", "id", stored.ID, "source", stored.Source, "category", stored.Category,
		"grid", stored.Finest(), "nearest", chain[0].Nearest, "key", by.KeyID, "role", by.Role)
	s.notify(EventIncident, stored, t, nil)
	return stored, true, nil
}

// nearestM is the nearest fallback distance to query with (0: none).
func (s *Service) nearestM() float64 { return max(s.opts.NearestM, 0) }

// create stores a new incident and returns the Seq of its first
// transition: from the store's CreateSeq when it has one, else read back.
func (s *Service) create(ctx context.Context, inc Incident, t Transition, idemKey string) (Incident, uint64, bool, error) {
	if sc, ok := s.opts.Store.(SeqCreator); ok {
		return sc.CreateSeq(ctx, inc, t, idemKey)
	}
	stored, created, err := s.opts.Store.Create(ctx, inc, t, idemKey)
	if err != nil || !created {
		return stored, 0, created, err
	}
	// stored: an error now must not fail the report (its retry would
	// be a replay, never published); the event goes without its Seq
	var seq uint64
	if _, hist, err := s.opts.Store.Get(ctx, stored.ID); err != nil {
		s.opts.Log.Warn("read back a new incident", "id", stored.ID, "err", err)
	} else if len(hist) > 0 {
		seq = hist[0].Seq
	}
	return stored, seq, true, nil
}
