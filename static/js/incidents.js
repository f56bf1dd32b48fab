// The incidents panel (#incidents): the level and metric the grids are
// coloured by (?level=ID&metric=total|closure|overdue in the address set
// them for a wall; the default level is the second layer, towns in a
// county's data), the legend, the incident tile switch, and the latest and
// overdue incidents, all kept live by the stream.
import { state } from './state.js';
import { el, clear } from './dom.js';
import { LAYER_NAMES } from './names.js';
import { METRICS } from './classes.js';
import { metric, setLevel, setMetric } from './metric.js';
import { loadFeed } from './feed.js';
import { loadMe } from './me.js';
import { followIncidents } from './stream.js';
import { initOverlay } from './overlay.js';
import { markEnd } from './marks.js';

// startIncidents starts the panel once the layers are known, before the
// grid's tiles are asked for; tilesDrawn resolves when the first tiles are
// drawn (for the firstPaint mark). The incident lists are read after the
// first paint: their queries would take the server's CPU and the browser's
// connections from the tiles.
export function startIncidents(tilesDrawn) {
  var params = new URLSearchParams(window.location.search);
  var kind = params.get('metric');
  if (METRICS[kind]) { metric.kind = kind; }
  var level = params.get('level');
  if (!state.layers.some(function (l) { return l.id === level; })) { level = defaultLevel(); }
  renderControls(level);
  initOverlay();
  var coloured = level ? setLevel(level) : Promise.resolve();
  tilesDrawn.then(function () { markEnd('tiles'); });
  coloured.then(function () { markEnd('figures'); });
  var painted = Promise.all([coloured, tilesDrawn]);
  painted.then(function () { markEnd('firstPaint'); });
  followIncidents();
  painted.then(loadMe).then(loadFeed);
}

// followLayers keeps the switches in step with the layers of a new
// version: the level coloured stays when the version still has it.
export function followLayers() {
  var keep = state.layers.some(function (l) { return l.id === metric.level; });
  var level = keep ? metric.level : defaultLevel();
  renderControls(level);
  if (level) { setLevel(level); }
}

// defaultLevel is the second layer (the first finer than the whole area),
// or the only one.
function defaultLevel() {
  var ls = state.layers;
  if (!ls.length) { return null; }
  return (ls[1] || ls[0]).id;
}

// renderControls fills the level and metric switches.
function renderControls(level) {
  var lv = document.getElementById('metric-level');
  clear(lv);
  state.layers.forEach(function (l) {
    var o = el('option', { value: l.id }, (LAYER_NAMES[l.id] || l.id));
    if (l.id === level) { o.selected = true; }
    lv.appendChild(o);
  });
  lv.onchange = function () { setLevel(lv.value); };
  // for measurements and tests: switch the level as the select does
  window.gridmapSetLevel = function (id) { lv.value = id; return setLevel(id); };
  var mk = document.getElementById('metric-kind');
  clear(mk);
  Object.keys(METRICS).forEach(function (k) {
    var o = el('option', { value: k }, METRICS[k].name);
    if (k === metric.kind) { o.selected = true; }
    mk.appendChild(o);
  });
  mk.onchange = function () { setMetric(mk.value); };
}
