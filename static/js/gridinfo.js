// The figures and people of the grid clicked or found (#grid-info): GET
// /api/v1/stats?grid=CODE for the grid of the chain at the coloured level
// (its totals by status, closure rate, handling times, overdue count,
// satisfaction and a table of its children) and GET /api/v1/staff?grid=
// for every grid of the chain (names, roles and phones as the server gives
// them: masked for a caller that may not see them).
import { el, clear } from './dom.js';
import { fetchJSON } from './api.js';
import { show, duration } from './format.js';
import { statusName, levelName } from './names.js';
import { METRICS } from './classes.js';
import { metric } from './metric.js';

var seq = 0;

// showGridInfo shows the figures and people of chain (finest first); an
// empty chain clears them.
export function showGridInfo(chain) {
  var n = ++seq;
  var sec = document.getElementById('grid-info');
  clear(sec);
  if (!chain || !chain.length) { sec.hidden = true; return; }
  sec.hidden = false;
  var g = chain.filter(function (c) { return c.layer === metric.level; })[0] || chain[0];
  sec.setAttribute('data-code', g.code);
  sec.setAttribute('data-state', 'pending');
  var figs = el('div', { id: 'grid-figures' });
  var people = el('div', { id: 'grid-people' });
  sec.appendChild(el('h2', null, '网格事件 · ' + (g.name || g.code)));
  sec.appendChild(figs);
  sec.appendChild(el('h2', null, '网格人员'));
  sec.appendChild(people);
  var a = fetchJSON('/api/v1/stats?grid=' + encodeURIComponent(g.code)).then(function (r) {
    if (n === seq) { renderFigures(figs, r.body); }
  }, function (err) {
    if (n === seq) { figs.appendChild(el('p', { class: 'status error' }, '无法读取统计：' + err.message)); }
  });
  var b = Promise.all(chain.map(function (c) {
    return fetchJSON('/api/v1/staff?grid=' + encodeURIComponent(c.code)).then(function (r) {
      return { grid: c, people: r.body.people || [] };
    }, function (err) { return { grid: c, error: err }; });
  })).then(function (res) {
    if (n === seq) { renderPeople(people, res); }
  });
  Promise.all([a, b]).then(function () {
    if (n === seq) { sec.setAttribute('data-state', 'done'); }
  });
}

// renderFigures shows a stats.Result of a grid query.
function renderFigures(box, res) {
  var f = res.grid || res.total || {};
  var dl = el('dl', { class: 'facts' });
  function add(k, v, id) {
    dl.appendChild(el('dt', null, k));
    dl.appendChild(el('dd', id ? { id: id } : null, show(v)));
  }
  add('事件总数', f.total || 0, 'grid-total');
  add('未办结', f.open || 0);
  add('办结率', METRICS.closure.format(f.closure_rate || 0), 'grid-closure');
  add('超期', f.overdue || 0, 'grid-overdue');
  add('处置时长', '中位 ' + duration(f.median_handling_s) + ' · P90 ' + duration(f.p90_handling_s));
  add('满意度', f.rated ? (Math.round(f.satisfaction * 10) / 10) + ' / 5（' + f.rated + ' 条）' : '–');
  add('按状态', Object.keys(f.by_status || {}).map(function (s) {
    return statusName(s) + ' ' + f.by_status[s];
  }).join('，'));
  box.appendChild(dl);
  var kids = res.children || [];
  if (!kids.length) { return; }
  var table = el('table', { class: 'figures', id: 'grid-children' });
  var head = el('tr');
  ['下级网格', '事件', '办结率', '超期'].forEach(function (h) { head.appendChild(el('th', null, h)); });
  table.appendChild(head);
  kids.forEach(function (k) {
    var tr = el('tr', { 'data-code': k.code });
    tr.appendChild(el('td', null, k.name || k.code));
    tr.appendChild(el('td', null, k.total));
    tr.appendChild(el('td', null, METRICS.closure.format(k.closure_rate || 0)));
    tr.appendChild(el('td', null, k.overdue));
    table.appendChild(tr);
  });
  box.appendChild(table);
}

// renderPeople lists the people of each grid of the chain that has any.
function renderPeople(box, res) {
  var any = false;
  res.forEach(function (r) {
    if (r.error) {
      box.appendChild(el('p', { class: 'status error' }, (r.grid.name || r.grid.code) + '：' + r.error.message));
      return;
    }
    if (!r.people.length) { return; }
    any = true;
    box.appendChild(el('h3', null, levelName(r.grid.level, r.grid.layer) + ' · ' + (r.grid.name || r.grid.code)));
    var ul = el('ul', { class: 'people', 'data-grid': r.grid.code });
    r.people.forEach(function (p) {
      var li = el('li', { 'data-id': p.id });
      li.appendChild(el('span', { class: 'role' }, p.role));
      li.appendChild(el('span', { class: 'name' }, p.name));
      li.appendChild(el('span', { class: 'phone' }, p.phone || ''));
      ul.appendChild(li);
    });
    box.appendChild(ul);
  });
  if (!any && !box.firstChild) { box.appendChild(el('p', { class: 'hint' }, '暂无人员名单。')); }
}
