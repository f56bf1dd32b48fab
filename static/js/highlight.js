// The selected grid drawn highlighted on the map.
import { map } from './map.js';
import { state, layerIndex } from './state.js';
import { highlightStyle, visibleAt } from './style.js';

// updateHighlight marks the finest grid of the selection's chain that is
// drawn at the current zoom: the micro grid when zoomed in, its village
// when zoomed out.
export function updateHighlight() {
  var zoom = Math.round(map.getZoom());
  var code = null;
  for (var i = 0; i < state.chain.length && code === null; i++) {
    var li = layerIndex(state.chain[i].layer);
    if (li >= 0 && visibleAt(li, zoom)) { code = String(state.chain[i].code); }
  }
  if (code !== state.highlighted) { highlight(code); }
}

// highlight draws the grid of code highlighted, and no other; null draws none.
export function highlight(code) {
  if (!state.grid) { return; }
  if (state.highlighted !== null) { state.grid.resetFeatureStyle(state.highlighted); }
  state.highlighted = code;
  window.gridmapHighlighted = code;
  if (code !== null) { state.grid.setFeatureStyle(code, highlightStyle()); }
}
