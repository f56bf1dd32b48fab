// The incidents as a vector tile layer over the grids
// (/tiles/incidents/{z}/{x}/{y}.mvt, layer "incidents"): at low zoom one
// circle per grid sized by its count, zoomed in one dot per incident
// coloured by its status; switched by #incident-tiles.
import { map } from './map.js';
import { state } from './state.js';
import { withKey } from './api.js';

// REFRESH_MS spaces the reloads of the layer's tiles while incidents change.
var REFRESH_MS = 5000;

var STATUS_COLOURS = {
  reported: '#e8453c', assessed: '#f28e2b', dispatched: '#edc948', handling: '#59a14f',
  handled: '#76b7b2', feedback: '#4e79a7', returned: '#b07aa1', closed: '#9aa5b1', rejected: '#6b7785'
};

var layer = null, stamp = 0, timer = null;

// window.gridmapIncidentTilesLoaded and …Errors count the layer's tiles.
window.gridmapIncidentTilesLoaded = 0;
window.gridmapIncidentTileErrors = 0;

// initOverlay wires the switch #incident-tiles.
export function initOverlay() {
  var box = document.getElementById('incident-tiles');
  box.addEventListener('change', function () { setOverlay(box.checked); });
  if (box.checked) { setOverlay(true); }
}

// setOverlay shows or hides the layer.
export function setOverlay(on) {
  if (on && !layer) {
    layer = L.vectorGrid.protobuf(url(), {
      rendererFactory: L.canvas.tile,
      vectorTileLayerStyles: { incidents: pointStyle },
      interactive: false,
      maxZoom: map.getMaxZoom(),
      pane: 'overlayPane'
    });
    layer.on('tileload', function () { window.gridmapIncidentTilesLoaded++; });
    layer.on('tileerror', function () { window.gridmapIncidentTileErrors++; });
    layer.addTo(map);
  } else if (!on && layer) {
    map.removeLayer(layer);
    layer = null;
  }
  window.gridmapIncidentTiles = !!layer;
}

// refreshOverlay reloads the layer's tiles soon after incidents changed.
export function refreshOverlay() {
  if (!layer || timer) { return; }
  timer = setTimeout(function () {
    timer = null;
    if (layer) { layer.setUrl(url()); }
  }, REFRESH_MS);
}

function url() {
  stamp++;
  return withKey('/tiles/incidents/{z}/{x}/{y}.mvt?t=' + Date.now().toString(36) + stamp);
}

// pointStyle draws an aggregate (count) as a circle growing with the
// square root of the count, an incident as a dot of its status's colour.
function pointStyle(props) {
  var k = state.scale;
  if (props.count !== undefined) {
    var n = Number(props.count) || 0;
    if (!n) { return []; }
    return {
      radius: Math.min(28, 3 + 1.6 * Math.sqrt(n)) * k, fill: true, fillColor: props.overdue > 0 ? '#e8453c' : '#f28e2b',
      fillOpacity: 0.55, color: '#fff', weight: k, opacity: 0.8
    };
  }
  return {
    radius: 4 * k, fill: true, fillColor: STATUS_COLOURS[props.status] || '#e8453c', fillOpacity: 0.9,
    color: props.overdue ? '#ff2d2d' : '#1d2630', weight: (props.overdue ? 2 : 1) * k, opacity: 0.9
  };
}
