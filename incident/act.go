package incident

import (
	"context"

	"fmt"
	"time"
)

// maxNote is the longest note of a step, in characters.
const maxNote = 2000

// Act takes one step on incident id, checked against its status and the
// actor's role (Check, Rules), and returns the incident after it with the
// stored transition. Dispatch goes to req.Assignee or, when empty, to the
// responsible person of the finest grid, escalating up the chain when a
// grid has none (dispatch.go); feedback needs a rating 1–5. A bad field is
// a *FieldError; a step another change overtook wraps ErrConflict.
func (s *Service) Act(ctx context.Context, id ID, req ActionRequest, by Actor) (Incident, Transition, error) {
	inc, _, err := s.opts.Store.Get(ctx, id)
	if err != nil {
		return Incident{}, Transition{}, fmt.Errorf("incident %d: %w", id, err)
	}
	rule, err := Check(req.Action, inc.Status, by, inc.Assignee)
	if err != nil {
		return Incident{}, Transition{}, fmt.Errorf("incident %d: %w", id, err)
	}
	return s.step(ctx, inc, rule, req, by)
}

// step applies rule to inc as by asked with req, stores it and tells the
// sinks and the publisher. The caller has checked that by may take it.
func (s *Service) step(ctx context.Context, inc Incident, rule Rule, req ActionRequest, by Actor) (Incident, Transition, error) {
	if msg := checkText(req.Note, maxNote, false, true); msg != "" {
		return Incident{}, Transition{}, &FieldError{Field: "note", Msg: msg}
	}
	now := s.opts.Now().UTC()
	after := inc
	t := Transition{Incident: inc.ID, Action: rule.Action, From: inc.Status, To: inc.Status, At: now, Actor: by, Note: req.Note}
	if rule.To != "" {
		after.Status, t.To = rule.To, rule.To
	}
	if err := s.change(&after, &t, req, now); err != nil {
		return Incident{}, Transition{}, fmt.Errorf("incident %d: %s: %w", inc.ID, rule.Action, err)
	}
	after.UpdatedAt = now
	mu := s.stepLock(inc.ID)
	mu.Lock()
	defer mu.Unlock()
	seq, err := s.opts.Store.Apply(ctx, inc, after, t)
	if err != nil {
		return Incident{}, Transition{}, fmt.Errorf("incident %d: %s: %w", inc.ID, rule.Action, err)
	}
	t.Seq = seq
	s.opts.Log.Debug("incident step", "id", inc.ID, "action", t.Action, "from", t.From, "to", t.To,
		"assignee", after.Assignee, "grid", after.AssigneeGrid, "key", by.KeyID, "role", by.Role)
	s.notify(EventTransition, after, t, nil)
	return after, t, nil
}

// change makes the step's changes besides the status to after and t.
func (s *Service) change(after *Incident, t *Transition, req ActionRequest, now time.Time) error {
	switch t.Action {
	case ActDispatch:
		if err := s.dispatch(after, req.Assignee); err != nil {
			return err
		}
		t.Assignee, t.AssigneeGrid = after.Assignee, after.AssigneeGrid
	case ActEscalate:
		if err := s.escalate(after, req.Assignee); err != nil {
			return err
		}
		t.Assignee, t.AssigneeGrid = after.Assignee, after.AssigneeGrid
	case ActHandle:
		after.HandledAt = now
	case ActFeedback:
		if req.Rating < 1 || req.Rating > 5 {
			return &FieldError{Field: "rating", Msg: fmt.Sprintf("feedback needs a satisfaction rating from 1 to 5, not %d", req.Rating)}
		}
		after.Rating, t.Rating = req.Rating, req.Rating
	case ActClose:
		after.ClosedAt = now
	case ActReturn:
		// back to the dispatcher: nobody holds it, and it is not handled
		after.Assignee, after.AssigneeGrid = "", ""
		after.HandledAt, after.Rating = time.Time{}, 0
	case ActOverdue:
		after.Overdue = true
	}
	return nil
}
