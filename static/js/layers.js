// The layer switches of the panel, and redrawing the grids when their
// styles change (a layer switched, another theme, another screen scale).
import { map } from './map.js';
import { state } from './state.js';
import { el, clear } from './dom.js';
import { LAYER_NAMES } from './names.js';
import { lineColor, lineWidth, partialFill } from './style.js';
import { highlight, updateHighlight } from './highlight.js';
import { writeHash } from './hash.js';

// renderLayerList draws one switch per layer, greyed out where the current
// zoom is outside the layer's zoom range.
export function renderLayerList() {
  var ul = document.getElementById('layer-list');
  clear(ul);
  var zoom = Math.round(map.getZoom());
  state.layers.forEach(function (l, i) {
    var inRange = zoom >= l.minzoom && zoom <= l.maxzoom;
    var li = el('li', { 'data-layer': l.id, class: inRange ? '' : 'out-of-range' });
    var label = el('label');
    label.appendChild(layerSwitch(l, i));
    var swatch = el('span', { class: 'swatch' });
    swatch.style.borderTopColor = lineColor(i);
    swatch.style.borderTopWidth = Math.max(1, Math.round(lineWidth(i) * state.scale)) + 'px';
    if (l.partial) { // buildings: a filled block, as on the map
      swatch.style.borderTopWidth = '0.6em';
      swatch.style.borderTopColor = partialFill();
    }
    label.appendChild(swatch);
    label.appendChild(el('span', { class: 'name' }, LAYER_NAMES[l.id] || l.id));
    if (LAYER_NAMES[l.id]) { label.appendChild(el('span', { class: 'id' }, l.id)); }
    label.appendChild(el('span', { class: 'zoom' }, 'z' + l.minzoom + '+'));
    li.appendChild(label);
    ul.appendChild(li);
  });
}

// layerSwitch is the checkbox of layer l, the i-th.
function layerSwitch(l, i) {
  var box = el('input', { type: 'checkbox', id: 'layer-toggle-' + i });
  box.checked = !state.hidden[l.id];
  box.addEventListener('change', function () {
    if (box.checked) { delete state.hidden[l.id]; } else { state.hidden[l.id] = true; }
    redraw();
    writeHash();
  });
  return box;
}

// redraw draws the grids, their names and the layer list again in the
// current styles.
export function redraw() {
  if (state.grid) {
    // Styles changed: drop the highlight, draw the tiles again, and mark the
    // selection anew in the current colours.
    highlight(null);
    state.grid.redraw();
    updateHighlight();
  }
  if (state.labels) { state.labels.schedule(); }
  renderLayerList();
}
