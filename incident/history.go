package incident

import (
	"slices"
	"time"
)

// pathTo lists the steps that lead from reported to a status, in order.
var pathTo = map[Status][]Action{
	Reported:   nil,
	Assessed:   {ActAssess},
	Dispatched: {ActAssess, ActDispatch},
	Handling:   {ActAssess, ActDispatch, ActAccept},
	Handled:    {ActAssess, ActDispatch, ActAccept, ActHandle},
	Feedback:   {ActAssess, ActDispatch, ActAccept, ActHandle, ActFeedback},
	Closed:     {ActAssess, ActDispatch, ActAccept, ActHandle, ActFeedback, ActClose},
	Returned:   {ActAssess, ActDispatch, ActReturn},
	Rejected:   {ActAssess, ActReject},
}

// Offsets of the steps before handling, from the report, of an incident
// whose handling time is unknown (still open): a dispatcher assesses and
// dispatches within the hour, a worker accepts within two.
var openOffsets = map[Action]time.Duration{
	ActAssess: 10 * time.Minute, ActDispatch: 30 * time.Minute, ActAccept: 2 * time.Hour,
	ActReturn: 3 * time.Hour, ActReject: 20 * time.Minute,
}

// Fractions of the time from report to handled at which a handled
// incident's earlier steps were taken.
var handledFractions = map[Action]float64{ActAssess: 0.05, ActDispatch: 0.1, ActAccept: 0.2}

// history builds the transitions of an imported incident, consistent with
// its status and times (see ImportCSV), setting its assignee (the
// dispatch default, when the roster has someone in its chain) and
// Overdue. Every step is by; the Seq are the store's to assign.
func (s *Service) history(inc *Incident, by Actor, now time.Time) []Transition {
	path := pathTo[inc.Status]
	hist := make([]Transition, 0, len(path)+2)
	hist = append(hist, Transition{Action: ActReport, To: Reported, At: inc.ReportedAt, Actor: by})
	from := Reported
	for _, a := range path {
		to := stepTo(a, from)
		t := Transition{Action: a, From: from, To: to, At: s.stepTime(inc, a, now), Actor: by}
		if prev := hist[len(hist)-1].At; t.At.Before(prev) {
			t.At = prev
		}
		switch a {
		case ActDispatch:
			if s.dispatch(inc, "") == nil {
				t.Assignee, t.AssigneeGrid = inc.Assignee, inc.AssigneeGrid
			}
		case ActFeedback:
			t.Rating = inc.Rating
		}
		hist = append(hist, t)
		from = to
	}
	if inc.Status == Returned {
		inc.Assignee, inc.AssigneeGrid = "", ""
	}
	// overdue: the deadline passed before it was handled (or before now)
	end := inc.HandledAt
	if end.IsZero() && inc.Status != Rejected {
		end = now
	}
	if !inc.Deadline.IsZero() && !end.IsZero() && inc.Deadline.Before(end) {
		inc.Overdue = true
		t := Transition{Action: ActOverdue, From: Reported, At: inc.Deadline, Actor: by}
		i, _ := slices.BinarySearchFunc(hist, t.At, func(h Transition, at time.Time) int { return h.At.Compare(at) })
		t.From = hist[i-1].To
		t.To = t.From
		hist = slices.Insert(hist, i, t)
	}
	return hist
}

// stepTo returns the status action a leads to from status from.
func stepTo(a Action, from Status) Status {
	for _, r := range Rules {
		if r.Action == a && slices.Contains(r.From, from) {
			return r.To
		}
	}
	return from
}

// stepTime returns when step a of an imported incident was taken: the
// times given for handle and close, between handled and closed for
// feedback, fractions of the handling time (or fixed offsets, for one not
// handled) for the steps before; never after now or out of order.
func (s *Service) stepTime(inc *Incident, a Action, now time.Time) time.Time {
	r := inc.ReportedAt
	switch a {
	case ActHandle:
		return inc.HandledAt
	case ActClose:
		return inc.ClosedAt
	case ActFeedback:
		if inc.ClosedAt.IsZero() {
			return inc.HandledAt
		}
		return inc.HandledAt.Add(inc.ClosedAt.Sub(inc.HandledAt) / 2)
	}
	if f, ok := handledFractions[a]; ok && !inc.HandledAt.IsZero() {
		return r.Add(time.Duration(f * float64(inc.HandledAt.Sub(r))))
	}
	t := r.Add(openOffsets[a])
	if t.After(now) {
		t = now
	}
	if t.Before(r) {
		t = r
	}
	return t
}
