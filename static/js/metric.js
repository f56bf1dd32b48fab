// The grids of one level coloured by an incident metric (count, closure
// rate or overdue count) from GET /api/v1/stats?layer=X&fields=counts
// (each grid's total, open, overdue and closed counts: a quarter of the
// full figures' bytes and no scan of the incidents), kept current by
// the stream's counts events. The colours reach the map through the layer
// style (style.js asks metricFill for each feature of the level), so tiles
// drawn later are coloured too; a change restyles the tiles on screen in
// place, without fetching them again.
import { state } from './state.js';
import { fetchJSON } from './api.js';
import { METRICS, breaks, classOf, colourOf } from './classes.js';
import { renderLegend } from './legend.js';
import { markStart, markEnd } from './marks.js';

// CLASSES is the number of colour classes at most.
var CLASSES = 5;

// RESTYLE_MS spaces restyles caused by counts events: a busy stream
// recolours the map at most this often.
var RESTYLE_MS = 250;

// metric is what is coloured: the level (layer id), the metric (a key of
// METRICS), the figures of the level's grids by code ({total, open,
// closed, overdue, rejected}), the class breaks of the values.
export var metric = { level: null, kind: 'total', figures: {}, breaks: [], min: 0, seq: 0, timer: null, loaded: false };

// metricFill is the fill of grid code of layer: null when layer is not the
// coloured level, a neutral fill for a grid without incidents, else the
// colour of its class.
export function metricFill(layer, code) {
  if (layer !== metric.level || !metric.loaded) { return null; }
  var f = metric.figures[code];
  if (!f || !f.total || !metric.breaks.length) { return { color: null, opacity: 0.1 }; }
  var m = METRICS[metric.kind];
  var k = classOf(m.value(f), metric.breaks);
  return { color: colourOf(m.palette, k, metric.breaks.length), opacity: 0.62 };
}

// setLevel colours the grids of layer id, reading its figures anew; it
// resolves when they are drawn.
export function setLevel(id) {
  metric.level = id;
  var seq = ++metric.seq;
  markStart('levelSwitch');
  var t0 = performance.now();
  return fetchJSON('/api/v1/stats?fields=counts&layer=' + encodeURIComponent(id)).then(function (r) {
    if (seq !== metric.seq) { return; }
    window.gridmapMarks.levelFetch = Math.round(performance.now() - t0);
    metric.figures = {};
    (r.body.counts || []).forEach(function (g) { metric.figures[g.code] = figuresOf(g); });
    metric.loaded = true;
    recolour();
    markEnd('levelSwitch');
  }, function (err) {
    if (seq !== metric.seq) { return; }
    metric.loaded = false;
    recolour();
    renderLegend(null, err.message);
  });
}

// setMetric colours by metric kind (a key of METRICS).
export function setMetric(kind) {
  if (!METRICS[kind]) { return; }
  metric.kind = kind;
  recolour();
}

// applyCounts takes the grids' counts of a counts event
// ([{layer, code, total, open, overdue, closed}]) and recolours soon.
export function applyCounts(counts) {
  var changed = false;
  (counts || []).forEach(function (c) {
    if (c.layer !== metric.level || !metric.loaded) { return; }
    metric.figures[c.code] = figuresOf(c);
    changed = true;
  });
  if (changed && !metric.timer) {
    metric.timer = setTimeout(function () {
      metric.timer = null;
      recolour();
    }, RESTYLE_MS);
  }
}

// figuresOf keeps what the colours need of a grid's counts: the rejected
// ones are those neither open nor closed.
function figuresOf(g) {
  var total = g.total || 0, open = g.open || 0, closed = g.closed || 0;
  return { total: total, open: open, closed: closed, overdue: g.overdue || 0, rejected: Math.max(total - open - closed, 0) };
}

// recolour computes the class breaks, redraws the legend and restyles the
// tiles on screen.
function recolour() {
  var m = METRICS[metric.kind];
  var values = [];
  Object.keys(metric.figures).forEach(function (code) {
    var f = metric.figures[code];
    if (f.total) { values.push(m.value(f)); }
  });
  metric.breaks = breaks(values, CLASSES);
  metric.min = values.length ? Math.min.apply(null, values) : 0;
  if (metric.loaded) { renderLegend(metric); }
  if (state.grid && state.grid.restyle) { state.grid.restyle(); }
  window.gridmapMetric = { level: metric.level, kind: metric.kind, breaks: metric.breaks.slice(), grids: values.length };
}
