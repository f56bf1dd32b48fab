// The panel's incident lists: the latest incidents (#latest-list), the
// overdue ones (#overdue-list), and for a key that belongs to a member of
// staff (a grid worker's phone) the incidents assigned to that person
// (#mine-list, GET /api/v1/me/incidents); read from the API and kept current
// by the stream. A click on an entry opens the incident.
import { el, clear } from './dom.js';
import { fetchJSON } from './api.js';
import { statusName, sourceName } from './names.js';
import { clock } from './format.js';
import { openIncident } from './detail.js';
import { me } from './me.js';

// LIST_MAX is the number of entries a list shows.
var LIST_MAX = 20;

var lists = { latest: [], overdue: [], mine: [] };

// loadFeed reads the lists from the server.
export function loadFeed() {
  load('latest', '/api/v1/incidents?limit=' + LIST_MAX);
  load('overdue', '/api/v1/incidents?overdue=true&limit=' + LIST_MAX);
  if (staffID()) {
    document.getElementById('mine-head').hidden = false;
    document.getElementById('mine-list').hidden = false;
    load('mine', '/api/v1/me/incidents?limit=' + LIST_MAX);
  }
}

// staffID is the staff id of the page's key, or ''.
function staffID() {
  var m = me();
  return (m && m.staff) || '';
}

function load(which, url) {
  fetchJSON(url).then(function (r) {
    lists[which] = (r.body.incidents || []).slice(0, LIST_MAX);
    render(which);
  }, function (err) {
    var ul = document.getElementById(which + '-list');
    clear(ul);
    ul.appendChild(el('li', { class: 'status error' }, '无法读取事件：' + err.message));
  });
}

// feedIncident takes an incident as it now is (new or changed): a new one
// goes first in the latest list, a changed one is updated where it is
// listed, and the overdue list follows its overdue flag.
export function feedIncident(inc, isNew) {
  if (isNew) {
    lists.latest = [inc].concat(lists.latest.filter(function (x) { return x.id !== inc.id; })).slice(0, LIST_MAX);
  } else {
    lists.latest = replace(lists.latest, inc);
  }
  var listed = lists.overdue.some(function (x) { return x.id === inc.id; });
  if (inc.overdue && !listed && !isFinal(inc.status)) {
    lists.overdue = [inc].concat(lists.overdue).slice(0, LIST_MAX);
  } else {
    lists.overdue = replace(lists.overdue, inc);
  }
  var mine = staffID();
  if (mine) {
    var others = lists.mine.filter(function (x) { return x.id !== inc.id; });
    var had = others.length !== lists.mine.length;
    if (inc.assignee !== mine) {
      lists.mine = others; // escalated or returned to someone else
    } else if (had) {
      lists.mine = replace(lists.mine, inc);
    } else {
      lists.mine = [inc].concat(others).slice(0, LIST_MAX); // newly assigned
    }
  }
  schedule();
}

var pending = false;

// schedule draws both lists on the next frame: a burst of events (a load
// of thousands a second) is drawn once a frame, not once an event.
function schedule() {
  if (pending) { return; }
  pending = true;
  requestAnimationFrame(function () {
    pending = false;
    render('latest');
    render('overdue');
    if (staffID()) { render('mine'); }
  });
}

var EMPTY = { latest: '暂无事件', overdue: '暂无超期事件', mine: '暂无指派给我的事件' };

function isFinal(s) { return s === 'closed' || s === 'rejected'; }

function replace(list, inc) {
  return list.map(function (x) { return x.id === inc.id ? inc : x; });
}

// render draws list which.
function render(which) {
  var ul = document.getElementById(which + '-list');
  clear(ul);
  if (!lists[which].length) {
    ul.appendChild(el('li', { class: 'empty' }, EMPTY[which]));
    return;
  }
  lists[which].forEach(function (inc) { ul.appendChild(entry(inc)); });
}

// entry is the list item of incident inc.
function entry(inc) {
  var li = el('li', { 'data-id': String(inc.id), 'data-status': inc.status, tabindex: '0', role: 'button' });
  if (inc.overdue) { li.classList.add('overdue'); }
  var top = el('div', { class: 'row' });
  top.appendChild(el('span', { class: 'badge status-' + inc.status }, statusName(inc.status)));
  top.appendChild(el('span', { class: 'category' }, inc.category));
  top.appendChild(el('span', { class: 'time' }, clock(inc.reported_at)));
  li.appendChild(top);
  var where = (inc.chain && inc.chain.length) ? inc.chain[0].name || inc.chain[0].code : '–';
  li.appendChild(el('div', { class: 'where' }, '#' + inc.id + ' · ' + sourceName(inc.source) + ' · ' + where));
  li.addEventListener('click', function () { openIncident(inc.id); });
  li.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); openIncident(inc.id); }
  });
  return li;
}
