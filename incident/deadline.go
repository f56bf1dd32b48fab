package incident

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// openStatuses are the statuses an incident can pass its deadline in:
// not yet handled.
var openStatuses = []Status{Reported, Assessed, Dispatched, Handling, Returned}

// deadline returns when an incident of category reported at from must be
// handled; zero when its category has no deadline.
func (s *Service) deadline(category string, from time.Time) time.Time {
	d, ok := s.opts.Deadlines.ByCategory[category]
	if !ok {
		d = s.opts.Deadlines.Default
	}
	if d <= 0 {
		return time.Time{}
	}
	return from.Add(d)
}

// shortestDeadline is the least time any category is allowed (0: none has
// a deadline).
func (s *Service) shortestDeadline() time.Duration {
	m := s.opts.Deadlines.Default
	for _, d := range s.opts.Deadlines.ByCategory {
		if m <= 0 || d < m {
			m = d
		}
	}
	return m
}

// Sweep marks the open incidents (not yet handled) past their deadline
// overdue, as the system, and escalates those dispatched or being handled
// to the responsible person of the next grid up their chain (when there
// is none, the incident stays with its assignee, marked). An incident
// another change overtook is left for the next sweep. It returns how many
// it marked.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	shortest := s.shortestDeadline()
	if shortest <= 0 {
		return 0, nil
	}
	now := s.opts.Now().UTC()
	due, err := s.due(ctx, now, shortest)
	if err != nil {
		return 0, err
	}
	escalate := Rules[slices.IndexFunc(Rules, func(r Rule) bool { return r.Action == ActEscalate })]
	n := 0
	for _, inc := range due {
		after, _, err := s.step(ctx, inc, Rule{Action: ActOverdue}, ActionRequest{Note: "deadline " + inc.Deadline.Format(time.RFC3339) + " passed"}, System)
		if errors.Is(err, ErrConflict) {
			continue
		}
		if err != nil {
			return n, fmt.Errorf("sweep: %w", err)
		}
		n++
		if !slices.Contains(escalate.From, after.Status) {
			continue
		}
		_, _, err = s.step(ctx, after, escalate, ActionRequest{Note: "overdue"}, System)
		var fe *FieldError
		switch {
		case errors.As(err, &fe):
			s.opts.Log.Info("overdue incident not escalated", "id", inc.ID, "reason", fe.Msg)
		case errors.Is(err, ErrConflict):
		case err != nil:
			return n, fmt.Errorf("sweep: %w", err)
		}
	}
	return n, nil
}

// due lists the open incidents not yet overdue whose deadline is before
// now; shortest bounds the report times worth reading.
func (s *Service) due(ctx context.Context, now time.Time, shortest time.Duration) ([]Incident, error) {
	no := false
	f := Filter{Status: openStatuses, Overdue: &no, To: now.Add(-shortest), Limit: MaxLimit}
	var out []Incident
	for {
		page, next, err := s.opts.Store.List(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("sweep: list open incidents: %w", err)
		}
		for _, inc := range page {
			if !inc.Deadline.IsZero() && inc.Deadline.Before(now) {
				out = append(out, inc)
			}
		}
		if next == "" {
			return out, nil
		}
		f.Cursor = next
	}
}
