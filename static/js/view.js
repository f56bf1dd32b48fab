// Moving the map: the first view, the view named in the address, and flying
// to a grid.
import { map } from './map.js';
import { state, layerIndex } from './state.js';
import { numberOr } from './format.js';
import { panelCover, leftCover } from './panel.js';
import { applyLayers } from './hash.js';
import { redraw } from './layers.js';

// fitView shows the view h named in the address (see hash.js), or else the
// bounds or centre (WGS84 lon, lat) of the TileJSON tj.
export function fitView(tj, h) {
  if (h) {
    map.setView([h.lat, h.lon], h.zoom);
    return;
  }
  var b = tj.bounds;
  if (b && b.length === 4 && b[0] < b[2] && b[1] < b[3]) {
    var cover = panelCover();
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {
      paddingTopLeft: [20 + leftCover(), 20], paddingBottomRight: [20 + cover.x, 20 + cover.y]
    });
    return;
  }
  var c = tj.center;
  if (c && c.length >= 2) {
    map.setView([c[1], c[0]], numberOr(c[2], 10));
    return;
  }
  map.setView([0, 0], 3);
}

// applyHash shows the view and layers h read from a changed address.
export function applyHash(h) {
  if (h.layers && applyLayers(h.layers)) { redraw(); }
  var c = map.getCenter();
  if (map.getZoom() !== h.zoom || Math.abs(c.lat - h.lat) > 1e-5 || Math.abs(c.lng - h.lon) > 1e-5) {
    map.setView([h.lat, h.lon], h.zoom);
  }
}

// flyToResult flies to the bbox (WGS84 [west, south, east, north]) of a
// search result r, close enough for its layer to be drawn, in the part of
// the map the panel leaves free.
export function flyToResult(r) {
  var b = r.bbox;
  var bounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
  var li = layerIndex(r.layer);
  var minZ = li >= 0 ? state.layers[li].minzoom : map.getMinZoom();
  if (li >= 0 && state.hidden[r.layer]) {
    delete state.hidden[r.layer]; // a grid that was searched for is shown
    redraw();
  }
  var pad = Math.round(40 * state.scale);
  var cover = panelCover();
  var z = Math.max(minZ, Math.min(map.getBoundsZoom(bounds, false, L.point(pad * 2 + cover.x, pad * 2 + cover.y)), 18));
  // the middle of the part of the map the panel leaves free
  var center = map.unproject(map.project(bounds.getCenter(), z).add([cover.x / 2, cover.y / 2]), z);
  map.flyTo(center, z, { duration: 0.8 });
}
