// How the grids and their names look: colours per theme, line widths per
// layer and screen size, and which layers are drawn at a zoom.
import { state } from './state.js';
import { round1 } from './format.js';
import { metricFill } from './metric.js';

// PALETTES are the colours per theme; lines go coarse to fine and a layer
// past the end takes the last.
export var PALETTES = {
  light: {
    lines: ['#7a1f1f', '#b5462f', '#2c5d9e', '#2f7d4f', '#7b8794'], fill: '#4a78b5', highlight: '#e8453c', neutral: '#9aa5b1',
    label: '#1d2630', labelCoarse: '#6b1d1d', halo: 'rgba(255,255,255,0.92)', building: '#c98a3a'
  },
  dark: {
    lines: ['#ffb4a8', '#ff9966', '#7fb2ff', '#74d39a', '#8fa0b3'], fill: '#7fb2ff', highlight: '#ffd166', neutral: '#5b6b7d',
    label: '#e8eef4', labelCoarse: '#ffd2a6', halo: 'rgba(11,18,27,0.9)', building: '#e0a458'
  }
};

var LABEL_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

// lineColor is the line colour of layer i (0 = coarsest) in the current theme.
export function lineColor(i) {
  var lines = PALETTES[state.theme].lines;
  return lines[Math.min(i, lines.length - 1)];
}

// lineWidth is the unscaled line width of layer i: coarser layers get
// thicker lines.
export function lineWidth(i) {
  var n = state.layers.length;
  var fine = n > 1 ? i / (n - 1) : 1; // 0 coarsest … 1 finest
  return 4 - 3.2 * fine;
}

// layerStyle is the style of layer i (0 = coarsest) at a zoom for a feature
// of properties props: nothing when the layer is switched off or the zoom
// is below its minzoom; coarser layers get thicker lines; the grids of the
// level coloured by an incident metric are filled with their class's
// colour, else only the finest tiling layer drawn at that zoom is filled,
// faintly; a partial layer (buildings) is filled solidly over it, so the
// streets between buildings show the grid they belong to.
export function layerStyle(i, zoom, props) {
  if (!visibleAt(i, zoom)) { return []; }
  var pal = PALETTES[state.theme];
  if (state.layers[i].partial) { return partialStyle(i, props, pal); }
  var finest = finestVisible(zoom, true) === i;
  var style = {
    color: lineColor(i),
    weight: round1(lineWidth(i) * state.scale),
    opacity: 0.95,
    fill: finest,
    fillColor: pal.fill,
    fillOpacity: finest ? 0.07 : 0
  };
  var m = metricFill(state.layers[i].id, props && props.code !== undefined ? String(props.code) : '');
  if (m) {
    style.fill = true;
    style.fillColor = m.color || pal.neutral;
    style.fillOpacity = m.opacity;
  }
  return style;
}

// partialStyle is the style of a feature of partial layer i (buildings):
// a thin outline and a solid fill, a metric's colour when its level is
// coloured; a building too small for a polygon comes as a point, a dot.
function partialStyle(i, props, pal) {
  var m = metricFill(state.layers[i].id, props && props.code !== undefined ? String(props.code) : '');
  return {
    color: lineColor(i), weight: round1(0.8 * state.scale), opacity: 0.9, radius: 3 * state.scale,
    fill: true, fillColor: m ? m.color || pal.neutral : pal.building, fillOpacity: m ? Math.max(m.opacity, 0.45) : 0.45
  };
}

// partialFill is the fill of a partial layer's features (buildings) in the
// current theme.
export function partialFill() { return PALETTES[state.theme].building; }

// highlightStyle is the style of the selected grid.
export function highlightStyle() {
  var pal = PALETTES[state.theme];
  return {
    color: pal.highlight,
    weight: round1(3.5 * state.scale),
    opacity: 1,
    fill: true,
    fillColor: pal.highlight,
    fillOpacity: 0.28
  };
}

// visibleAt says whether layer i is switched on and drawn at zoom.
export function visibleAt(i, zoom) {
  var l = state.layers[i];
  return !!l && !state.hidden[l.id] && zoom >= l.minzoom && zoom <= l.maxzoom;
}

// finestVisible is the index of the finest layer drawn at zoom (with
// tiling, the finest that tiles its parent: not a partial one), or -1.
export function finestVisible(zoom, tiling) {
  for (var i = state.layers.length - 1; i >= 0; i--) {
    if (visibleAt(i, zoom) && !(tiling && state.layers[i].partial)) { return i; }
  }
  return -1;
}

// labelConfig says which layers' names are drawn at zoom: the two finest
// layers switched on whose grids are big enough there (two zooms past the
// layer's first), coarse first and larger.
export function labelConfig(zoom) {
  var pal = PALETTES[state.theme];
  var k = state.scale;
  var picked = [];
  for (var i = state.layers.length - 1; i >= 0 && picked.length < 2; i--) {
    var l = state.layers[i];
    if (visibleAt(i, zoom) && zoom >= l.minzoom + 2) { picked.push(i); }
  }
  if (!picked.length && state.layers.length) {
    var c = finestVisible(zoom);
    if (c >= 0) { picked.push(c); }
  }
  var layers = {};
  picked.forEach(function (i, n) {
    var coarse = n === 1 || picked.length === 1 && i === 0;
    layers[state.layers[i].id] = {
      rank: i,
      size: Math.round((coarse ? 15 : 12.5) * k),
      weight: coarse ? 'bold' : '500',
      color: coarse ? pal.labelCoarse : pal.label,
      halo: pal.halo
    };
  });
  return { layers: layers, scale: k, font: LABEL_FONT };
}

// screenScale is how much thicker lines and bigger names are drawn on a
// big screen (in CSS pixels) than on a 1920×1080 one: 1 up to there, 2 on a
// 3840×2160 wall at 100 %.
export function screenScale() {
  var w = window.innerWidth || 1920, h = window.innerHeight || 1080;
  return Math.max(1, Math.min(3, Math.min(w / 1920, h / 1080)));
}
