// The address #zoom/lat/lon/layers (layers: the visible layers, comma
// separated), which holds the view so that a wall display is set up by a link.
import { map } from './map.js';
import { state, visibleLayers } from './state.js';

// parseHash reads #zoom/lat/lon or #zoom/lat/lon/layer,layer,... (WGS84
// degrees); it returns {zoom, lat, lon, layers} (layers null when absent),
// or null for any other address.
export function parseHash(hash) {
  var m = /^#(\d{1,2}(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)(?:\/([^/]*))?$/.exec(hash || '');
  if (!m) { return null; }
  var zoom = Number(m[1]), lat = Number(m[2]), lon = Number(m[3]);
  if (Math.abs(lat) > 85.06 || Math.abs(lon) > 180) { return null; }
  var layers = null;
  if (m[4] !== undefined) {
    var raw;
    try { raw = decodeURIComponent(m[4]); } catch (e) { raw = m[4]; }
    layers = raw.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
  }
  return { zoom: zoom, lat: lat, lon: lon, layers: layers };
}

// applyLayers switches on exactly the named layers (unknown names are
// ignored); it reports whether anything changed.
export function applyLayers(names) {
  var want = {};
  names.forEach(function (n) { want[n] = true; });
  var changed = false;
  state.layers.forEach(function (l) {
    var hide = !want[l.id];
    if (!!state.hidden[l.id] !== hide) {
      changed = true;
      if (hide) { state.hidden[l.id] = true; } else { delete state.hidden[l.id]; }
    }
  });
  return changed;
}

// writeHash puts the current view and visible layers into the address,
// without a new history entry.
export function writeHash() {
  var c = map.getCenter();
  var hash = '#' + map.getZoom() + '/' + c.lat.toFixed(5) + '/' + c.lng.toFixed(5) + '/' +
    visibleLayers().map(encodeURIComponent).join(',');
  if (window.location.hash !== hash && window.history && window.history.replaceState) {
    window.history.replaceState(null, '', hash);
  }
}
