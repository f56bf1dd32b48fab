package incident

// Action is a step an actor takes on an incident (POST
// /api/v1/incidents/{id}/actions {"action": ...}).
type Action string

// The actions. Report creates; the others move an incident as Rules say.
// Escalate and Overdue do not change the status: escalate moves the
// assignee up the chain, overdue marks the deadline passed (the system
// takes both when a deadline passes; a supervisor may escalate by hand).
const (
	ActReport   Action = "report"
	ActAssess   Action = "assess"
	ActDispatch Action = "dispatch"
	ActAccept   Action = "accept"
	ActHandle   Action = "handle"
	ActFeedback Action = "feedback"
	ActClose    Action = "close"
	ActReturn   Action = "return"
	ActReject   Action = "reject"
	ActEscalate Action = "escalate"
	ActOverdue  Action = "overdue"
	ActRelocate Action = "relocate"
)

// Role names of the loop (the same strings as package auth's roles).
const (
	RoleAdmin      = "admin"
	RoleDispatcher = "dispatcher"
	RoleSupervisor = "supervisor"
	RoleGridWorker = "grid_worker"
	RoleSystem     = "system"
)

// Rule is one allowed step: from a status, by one of the roles, to a
// status. AssigneeOnly: a grid worker may take it only on an incident
// assigned to the worker (Incident.Assignee == Actor.Staff).
type Rule struct {
	Action       Action
	From         []Status
	To           Status // "" keeps the status (escalate, overdue, relocate)
	Roles        []string
	AssigneeOnly bool
}

// Rules is the whole loop; admin may take every step (and is not listed).
//
//	reported  --assess (dispatcher)-->            assessed
//	assessed, returned --dispatch (dispatcher)--> dispatched
//	dispatched --accept (grid worker, its own)--> handling
//	handling  --handle (grid worker, its own)-->  handled
//	handled   --feedback (supervisor, dispatcher; rating 1–5)--> feedback
//	feedback  --close (supervisor, dispatcher)--> closed
//	dispatched, handling --return (grid worker, its own)--> returned
//	handled, feedback    --return (supervisor)--> returned
//	reported, assessed, returned --reject (dispatcher, supervisor)--> rejected
//	dispatched, handling --escalate (supervisor, system)--> same status
var Rules = []Rule{
	{ActAssess, []Status{Reported}, Assessed, []string{RoleDispatcher}, false},
	{ActDispatch, []Status{Assessed, Returned}, Dispatched, []string{RoleDispatcher}, false},
	{ActAccept, []Status{Dispatched}, Handling, []string{RoleGridWorker}, true},
	{ActHandle, []Status{Handling}, Handled, []string{RoleGridWorker}, true},
	{ActFeedback, []Status{Handled}, Feedback, []string{RoleSupervisor, RoleDispatcher}, false},
	{ActClose, []Status{Feedback}, Closed, []string{RoleSupervisor, RoleDispatcher}, false},
	{ActReturn, []Status{Dispatched, Handling}, Returned, []string{RoleGridWorker}, true},
	{ActReturn, []Status{Handled, Feedback}, Returned, []string{RoleSupervisor}, false},
	{ActReject, []Status{Reported, Assessed, Returned}, Rejected, []string{RoleDispatcher, RoleSupervisor}, false},
	{ActEscalate, []Status{Dispatched, Handling}, "", []string{RoleSupervisor, RoleSystem}, false},
}
