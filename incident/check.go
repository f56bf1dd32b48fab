package incident

import (
	"fmt"
	"slices"
	"strings"
)

// Check finds the rule for taking action a on an incident in status from
// by actor by, whose assignee is assignee (a staff id, "" when none):
//   - an action that is no rule's (report, overdue, relocate or unknown):
//     a *FieldError on "action";
//   - no rule from this status: ErrNotAllowed;
//   - the actor's role not among the rule's (admin is always; the system
//     role is refused here: only the service's own sweep acts as it), or a
//     rule for the assignee only taken by another: ErrForbidden.
//
// It changes nothing; Service.Act calls it before every step.
func Check(a Action, from Status, by Actor, assignee string) (Rule, error) {
	known := false
	for _, r := range Rules {
		if r.Action != a {
			continue
		}
		known = true
		if !slices.Contains(r.From, from) {
			continue
		}
		if err := mayTake(r, by, assignee); err != nil {
			return Rule{}, err
		}
		return r, nil
	}
	if !known {
		return Rule{}, &FieldError{Field: "action", Msg: fmt.Sprintf("unknown action %q (actions: %s)", a, actionNames())}
	}
	return Rule{}, fmt.Errorf("%w: %s from %s", ErrNotAllowed, a, from)
}

// mayTake checks the actor against rule r (status already matched).
func mayTake(r Rule, by Actor, assignee string) error {
	switch {
	case by.Role == RoleAdmin:
		return nil
	case by.Role == RoleSystem || !slices.Contains(r.Roles, by.Role):
		return fmt.Errorf("%w: role %q may not %s", ErrForbidden, by.Role, r.Action)
	case r.AssigneeOnly && (by.Staff == "" || by.Staff != assignee):
		return fmt.Errorf("%w: %s is for the incident's assignee only", ErrForbidden, r.Action)
	}
	return nil
}

// actionNames lists the actions of Rules, once each.
func actionNames() string {
	var names []string
	for _, r := range Rules {
		if !slices.Contains(names, string(r.Action)) {
			names = append(names, string(r.Action))
		}
	}
	return strings.Join(names, ", ")
}
