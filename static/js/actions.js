// The loop's steps the page's key may take on an incident: a copy of
// incident.Rules (incident/flow.go) for showing buttons only — the server
// checks every step again and its answer is what counts.

// RULES: action, the statuses it starts from, the roles allowed, and
// whether a grid worker may take it only on an incident assigned to it.
// The admin may take every step.
var RULES = [
  { action: 'assess', from: ['reported'], roles: ['dispatcher'] },
  { action: 'dispatch', from: ['assessed', 'returned'], roles: ['dispatcher'] },
  { action: 'accept', from: ['dispatched'], roles: ['grid_worker'], own: true },
  { action: 'handle', from: ['handling'], roles: ['grid_worker'], own: true },
  { action: 'feedback', from: ['handled'], roles: ['supervisor', 'dispatcher'] },
  { action: 'close', from: ['feedback'], roles: ['supervisor', 'dispatcher'] },
  { action: 'return', from: ['dispatched', 'handling'], roles: ['grid_worker'], own: true },
  { action: 'return', from: ['handled', 'feedback'], roles: ['supervisor'] },
  { action: 'reject', from: ['reported', 'assessed', 'returned'], roles: ['dispatcher', 'supervisor'] },
  { action: 'escalate', from: ['dispatched', 'handling'], roles: ['supervisor'] }
];

// allowedActions are the actions me ({role, staff}) may take on incident
// inc, each once, in the loop's order.
export function allowedActions(me, inc) {
  if (!me || !me.role) { return []; }
  var out = [];
  RULES.forEach(function (r) {
    if (r.from.indexOf(inc.status) < 0 || out.indexOf(r.action) >= 0) { return; }
    if (me.role === 'admin') { out.push(r.action); return; }
    if (r.roles.indexOf(me.role) < 0) { return; }
    if (r.own && (!me.staff || inc.assignee !== me.staff)) { return; }
    out.push(r.action);
  });
  return out;
}
