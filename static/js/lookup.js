// Looking up the grids at a point: /api/v1/lookup, with the answer shown in
// the panel and kept in window.gridmapLookup.
import { state } from './state.js';
import { fetchJSON } from './api.js';
import { highlight } from './highlight.js';
import { renderSelection, renderLookupError, setSelectionState } from './selection.js';
import { showGridInfo } from './gridinfo.js';

// lookup asks /api/v1/lookup about (lon, lat) in crs (wgs84, gcj02, …) and
// shows the chain; with fromLayer the chain starts at that layer (a searched
// grid). It resolves to the answer, or null when it failed or a later
// lookup overtook it.
export function lookup(lon, lat, crs, fromLayer) {
  var seq = ++state.lookupSeq;
  window.gridmapLookup = { lat: lat, lon: lon, crs: crs, state: 'pending', response: null };
  setSelectionState('pending');
  var q = '/api/v1/lookup?lon=' + encodeURIComponent(lon) + '&lat=' + encodeURIComponent(lat);
  if (crs && crs !== 'wgs84') { q += '&crs=' + encodeURIComponent(crs); }
  return fetchJSON(q).then(function (r) {
    if (seq !== state.lookupSeq) { return null; }
    var res = r.body;
    window.gridmapLookup = { lat: lat, lon: lon, crs: crs, state: 'done', response: res };
    var chain = chainFrom(res.chain || [], fromLayer);
    renderSelection(lon, lat, crs, res.wgs84, chain);
    showGridInfo(chain);
    return res;
  }, function (err) {
    if (seq !== state.lookupSeq) { return null; }
    window.gridmapLookup = { lat: lat, lon: lon, crs: crs, state: 'error', response: null };
    renderLookupError(lon, lat, err);
    showGridInfo([]);
    return null;
  });
}

// chainFrom is the chain from its grid of layer on (all of it when layer is
// empty or not in the chain).
function chainFrom(chain, layer) {
  if (!layer) { return chain; }
  for (var i = 0; i < chain.length; i++) {
    if (chain[i].layer === layer) { return chain.slice(i); }
  }
  return chain;
}

// refreshSelection asks again about the selection, after a version change.
export function refreshSelection() {
  var s = state.selection;
  if (!s) { return; }
  highlight(null);
  if (s.kind === 'grid') {
    lookup(s.lon, s.lat, 'wgs84', s.layer);
  } else {
    lookup(s.lon, s.lat, s.crs || 'wgs84', null);
  }
}
