// The incident detail (#incident-detail): status, place, assignee,
// deadline and the whole history of GET /api/v1/incidents/{id}, with the
// buttons of the steps the page's key may take (POST .../actions).
import { map } from './map.js';
import { el, clear } from './dom.js';
import { fetchJSON, postJSON } from './api.js';
import { show, clock } from './format.js';
import { statusName, actionName, sourceName } from './names.js';
import { allowedActions } from './actions.js';
import { me } from './me.js';
import { setCollapsed } from './panel.js';

var current = null; // the id shown, or null

// openIncident shows incident id, opening the panel, and moves the map to it.
export function openIncident(id) {
  setCollapsed(false);
  return load(id, true);
}

// load reads incident id and shows it (moving the map to it when pan).
function load(id, pan) {
  current = id;
  var sec = section();
  sec.hidden = false;
  sec.setAttribute('data-state', 'pending');
  return fetchJSON('/api/v1/incidents/' + encodeURIComponent(id)).then(function (r) {
    if (current !== id) { return; }
    render(r.body.incident, r.body.history || []);
    var inc = r.body.incident;
    if (pan) { map.panTo([inc.lat, inc.lon]); }
  }, function (err) {
    if (current !== id) { return; }
    clear(sec);
    sec.appendChild(el('p', { class: 'status error' }, '无法读取事件 #' + id + '：' + err.message));
    sec.setAttribute('data-state', 'error');
  });
}

// refreshIncident shows incident id again when it is the one shown.
export function refreshIncident(id) {
  if (current !== null && String(current) === String(id)) { load(current, false); }
}

function section() { return document.getElementById('incident-detail'); }

// render draws incident inc with its history.
function render(inc, history) {
  var sec = section();
  clear(sec);
  sec.setAttribute('data-state', 'done');
  sec.setAttribute('data-id', String(inc.id));
  sec.setAttribute('data-status', inc.status);
  var head = el('div', { class: 'detail-head' });
  head.appendChild(el('h2', null, '事件 #' + inc.id));
  var close = el('button', { type: 'button', class: 'close', title: '关闭' }, '×');
  close.addEventListener('click', function () { current = null; sec.hidden = true; });
  head.appendChild(close);
  sec.appendChild(head);
  sec.appendChild(facts(inc));
  nameAssignee(inc);
  sec.appendChild(buttons(inc));
  sec.appendChild(el('h3', null, '处置过程'));
  sec.appendChild(timeline(history));
}

// facts lists what is known of inc.
function facts(inc) {
  var dl = el('dl', { class: 'facts' });
  function add(k, v, id) {
    dl.appendChild(el('dt', null, k));
    dl.appendChild(el('dd', id ? { id: id } : null, show(v)));
  }
  add('状态', statusName(inc.status) + (inc.overdue ? ' · 超期' : ''), 'incident-status');
  add('类别', inc.category);
  add('来源', sourceName(inc.source) + (inc.external_ref ? ' · ' + inc.external_ref : ''));
  add('描述', inc.description);
  var rep = inc.reporter || {};
  add('报告人', [rep.name, rep.phone].filter(Boolean).join(' '));
  add('上报时间', clock(inc.reported_at));
  add('所在网格', (inc.chain || []).map(function (c) { return c.name || c.code; }).join(' / '));
  add('责任人', inc.assignee ? inc.assignee + (inc.assignee_grid ? '（' + inc.assignee_grid + '）' : '') : '', 'incident-assignee');
  add('处置时限', clock(inc.deadline));
  if (inc.rating) { add('满意度', inc.rating + ' / 5'); }
  return dl;
}

// nameAssignee puts the assignee's name and role beside the staff id, from
// the roster of the assignee's grid (masked as the server masks it).
function nameAssignee(inc) {
  if (!inc.assignee || !inc.assignee_grid) { return; }
  fetchJSON('/api/v1/staff?grid=' + encodeURIComponent(inc.assignee_grid)).then(function (r) {
    var p = (r.body.people || []).filter(function (x) { return x.id === inc.assignee; })[0];
    var dd = document.getElementById('incident-assignee');
    if (!p || !dd || current !== inc.id) { return; }
    dd.textContent = p.name + '（' + p.role + '）' + (p.phone ? ' ' + p.phone : '') + ' · ' + inc.assignee;
  }, function () { /* the staff id stays */ });
}

// buttons are the steps the page's key may take on inc, with a note, an
// assignee for dispatch and a rating for feedback.
function buttons(inc) {
  var box = el('div', { class: 'actions', id: 'incident-actions' });
  var acts = allowedActions(me(), inc);
  if (!acts.length) { return box; }
  var note = el('input', { type: 'text', id: 'action-note', placeholder: '处置意见（可选）', 'aria-label': '处置意见' });
  box.appendChild(note);
  var extra = {};
  if (acts.indexOf('dispatch') >= 0) {
    extra.assignee = el('input', { type: 'text', id: 'action-assignee', placeholder: '派遣给（工号，空：网格责任人）', 'aria-label': '派遣给' });
    box.appendChild(extra.assignee);
  }
  if (acts.indexOf('feedback') >= 0) {
    extra.rating = el('select', { id: 'action-rating', 'aria-label': '满意度' });
    [5, 4, 3, 2, 1].forEach(function (n) { extra.rating.appendChild(el('option', { value: String(n) }, '满意度 ' + n)); });
    box.appendChild(extra.rating);
  }
  var row = el('div', { class: 'action-buttons' });
  acts.forEach(function (a) {
    var b = el('button', { type: 'button', 'data-action': a }, actionName(a));
    b.addEventListener('click', function () { act(inc.id, a, note.value, extra, box); });
    row.appendChild(b);
  });
  box.appendChild(row);
  box.appendChild(el('p', { class: 'status', id: 'action-status', role: 'status' }));
  return box;
}

// act posts action a on incident id and shows the incident as it then is.
function act(id, a, note, extra, box) {
  var body = { action: a };
  if (note) { body.note = note; }
  if (a === 'dispatch' && extra.assignee && extra.assignee.value) { body.assignee = extra.assignee.value.trim(); }
  if (a === 'feedback' && extra.rating) { body.rating = Number(extra.rating.value); }
  box.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
  postJSON('/api/v1/incidents/' + encodeURIComponent(id) + '/actions', body).then(function () {
    load(id, false);
  }, function (err) {
    box.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
    var s = document.getElementById('action-status');
    s.textContent = actionName(a) + '失败：' + err.message;
    s.className = 'status error';
  });
}

// timeline lists the history, oldest first.
function timeline(history) {
  var ol = el('ol', { class: 'timeline', id: 'incident-history' });
  history.forEach(function (t) {
    var li = el('li', { 'data-action': t.action, 'data-to': t.to });
    var top = el('div', { class: 'row' });
    top.appendChild(el('span', { class: 'action' }, actionName(t.action)));
    top.appendChild(el('span', { class: 'badge status-' + t.to }, statusName(t.to)));
    top.appendChild(el('span', { class: 'time' }, clock(t.at)));
    li.appendChild(top);
    var a = t.actor || {};
    var who = [a.name, a.role ? '（' + roleName(a.role) + '）' : ''].join('');
    var line = who + (t.assignee ? ' → ' + t.assignee : '') + (t.rating ? ' · 满意度 ' + t.rating : '');
    li.appendChild(el('div', { class: 'who' }, line));
    if (t.note) { li.appendChild(el('div', { class: 'note' }, t.note)); }
    ol.appendChild(li);
  });
  return ol;
}

var ROLE_NAMES = {
  admin: '管理员', dispatcher: '调度员', supervisor: '督办员', grid_worker: '网格员', reporter: '受理系统',
  system: '系统', importer: '导入', reader: '只读'
};

function roleName(r) { return ROLE_NAMES[r] || r; }
