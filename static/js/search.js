// Searching grids by name or code: /api/v1/search as the user types, the
// suggestions under the box (arrow keys, Enter, Escape), and picking one
// (window.gridmapSearch: the last search, {q, state, results}).
import { state } from './state.js';
import { fetchJSON } from './api.js';
import { el, clear } from './dom.js';
import { levelName } from './names.js';
import { setStatus } from './panel.js';
import { setMarker } from './marker.js';
import { updateHighlight } from './highlight.js';
import { flyToResult } from './view.js';
import { lookup } from './lookup.js';

var SEARCH_DEBOUNCE_MS = 180;

// initSearch wires the search box and its suggestions.
export function initSearch() {
  var input = document.getElementById('search-input');
  var form = document.getElementById('search-form');
  input.addEventListener('input', function () {
    clearTimeout(state.searchTimer);
    var q = input.value.trim();
    if (!q) { closeSuggestions(); return; }
    state.searchTimer = setTimeout(function () { runSearch(q); }, SEARCH_DEBOUNCE_MS);
  });
  input.addEventListener('keydown', onKey);
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(state.searchTimer);
    if (state.suggestions.length) {
      pick(state.suggestions[Math.max(state.active, 0)]);
      return;
    }
    var q = input.value.trim();
    if (q) { runSearch(q, true); }
  });
  document.addEventListener('click', function (e) {
    if (!form.contains(e.target)) { closeSuggestions(); }
  });
}

// onKey moves through the suggestions with the arrow keys; Escape closes them.
function onKey(e) {
  var n = state.suggestions.length;
  if (e.key === 'ArrowDown' && n) {
    e.preventDefault();
    setActive((state.active + 1) % n);
  } else if (e.key === 'ArrowUp' && n) {
    e.preventDefault();
    setActive((state.active - 1 + n) % n);
  } else if (e.key === 'Escape') {
    closeSuggestions();
  }
}

// runSearch asks /api/v1/search and lists the results; with go, the first
// result is picked at once.
function runSearch(q, go) {
  var seq = ++state.searchSeq;
  window.gridmapSearch = { q: q, state: 'pending', results: null };
  fetchJSON('/api/v1/search?limit=10&q=' + encodeURIComponent(q)).then(function (r) {
    if (seq !== state.searchSeq) { return; }
    var results = r.body.results || [];
    window.gridmapSearch = { q: q, state: 'done', results: results };
    if (go && results.length) { pick(results[0]); return; }
    showSuggestions(results);
  }, function (err) {
    if (seq !== state.searchSeq) { return; }
    window.gridmapSearch = { q: q, state: 'error', results: null };
    setStatus('搜索失败：' + err.message, true);
  });
}

function showSuggestions(results) {
  var ul = document.getElementById('search-suggestions');
  var input = document.getElementById('search-input');
  clear(ul);
  state.suggestions = results;
  state.active = -1;
  if (!results.length) {
    ul.appendChild(el('li', { class: 'empty', role: 'option', 'aria-disabled': 'true' }, '没有找到匹配的网格'));
  }
  results.forEach(function (r, i) {
    var li = el('li', { role: 'option', id: 'suggestion-' + i, 'data-code': r.code, 'data-layer': r.layer });
    li.appendChild(el('span', { class: 'name' }, r.name || r.code));
    li.appendChild(el('span', { class: 'layer' }, levelName(r.level, r.layer)));
    li.appendChild(el('code', null, r.code));
    li.addEventListener('mousedown', function (e) { e.preventDefault(); }); // keep the input focused
    li.addEventListener('click', function () { pick(r); });
    ul.appendChild(li);
  });
  ul.hidden = false;
  input.setAttribute('aria-expanded', 'true');
}

function setActive(i) {
  state.active = i;
  var items = document.querySelectorAll('#search-suggestions li[role=option]');
  Array.prototype.forEach.call(items, function (li, k) {
    li.setAttribute('aria-selected', k === i ? 'true' : 'false');
    if (k === i) { li.scrollIntoView({ block: 'nearest' }); }
  });
  document.getElementById('search-input').setAttribute('aria-activedescendant', i >= 0 ? 'suggestion-' + i : '');
}

// closeSuggestions hides and forgets the suggestions.
export function closeSuggestions() {
  var ul = document.getElementById('search-suggestions');
  ul.hidden = true;
  clear(ul);
  state.suggestions = [];
  state.active = -1;
  document.getElementById('search-input').setAttribute('aria-expanded', 'false');
}

// pick selects a search result: the map flies to its grid, which is
// highlighted, and the panel shows it with its chain.
function pick(r) {
  closeSuggestions();
  document.getElementById('search-input').value = r.name || r.code;
  setMarker(null);
  state.selection = { kind: 'grid', lon: r.center[0], lat: r.center[1], layer: r.layer, code: r.code };
  // Show the grid at once; the lookup adds its chain.
  state.chain = [{ layer: r.layer, code: r.code, name: r.name, level: r.level }];
  updateHighlight();
  flyToResult(r);
  lookup(r.center[0], r.center[1], 'wgs84', r.layer);
}
