// The grids on the map: the vector tile layer of the server's tiles.json,
// and the label layer fed from its decoded tiles.
import { map } from './map.js';
import { state, layerIds } from './state.js';
import { layerStyle, labelConfig } from './style.js';
import { numberOr, tileKey, escapeHTML } from './format.js';
import { withKey } from './api.js';
import { setStatus, setVersion } from './panel.js';
import * as labels from './labels.js';

// useTileJSON takes the layers and version of a TileJSON document tj of
// version v (tj.version when v is empty).
export function useTileJSON(tj, v) {
  state.tj = tj;
  var last = numberOr(tj.maxzoom, 22);
  state.layers = (tj.vector_layers || []).filter(function (l) {
    return l.id !== labels.LABEL_LAYER;
  }).map(function (l) {
    // tiles.json's maxzoom is the last zoom with detail: past it the tiles
    // of that zoom are overzoomed (maxNativeZoom), so a layer that reaches
    // it is shown at every zoom above
    var maxzoom = numberOr(l.maxzoom, 22);
    return {
      id: l.id, minzoom: numberOr(l.minzoom, 0), maxzoom: maxzoom >= last ? Infinity : maxzoom,
      partial: l['gridmap:partial'] === true // buildings, compounds: they do not tile their parent
    };
  });
  state.version = v || tj.version || null;
  window.gridmapVersion = state.version;
  if (state.version) { setVersion(state.version); }
}

// tileURL is the URL template of the tiles of the version: the server's
// immutable versioned URLs when tiles.json names them, else the latest
// tiles with the version as a cache-busting query; with the page's API key.
export function tileURL(tj, v) {
  return withKey(versionedURL(tj, v));
}

function versionedURL(tj, v) {
  var vt = tj['gridmap:versioned_tiles'];
  if (Array.isArray(vt)) { vt = vt[0]; }
  if (typeof vt === 'string' && vt) {
    return v ? vt.replace('{version}', encodeURIComponent(v)) : vt;
  }
  var url = (tj.tiles && tj.tiles[0]) || '/tiles/{z}/{x}/{y}.mvt';
  if (!v) { return url; }
  return url + (url.indexOf('?') >= 0 ? '&' : '?') + 'v=' + encodeURIComponent(v);
}

// buildGrid adds the vector tile layer of state.tj and state.version to the map.
export function buildGrid() {
  var tj = state.tj;
  var url = tileURL(tj, state.version);
  window.gridmapTilesURL = url;
  var styles = {};
  state.layers.forEach(function (l, i) {
    styles[l.id] = function (props, zoom) { return layerStyle(i, zoom, props); };
  });
  styles[labels.LABEL_LAYER] = []; // drawn by the label layer
  var grid = L.vectorGrid.protobuf(url, {
    rendererFactory: L.canvas.tile,
    vectorTileLayerStyles: styles,
    interactive: true,
    getFeatureId: featureId,
    maxNativeZoom: Math.min(numberOr(tj.maxzoom, 22), map.getMaxZoom()),
    minNativeZoom: numberOr(tj.minzoom, 0),
    maxZoom: map.getMaxZoom(),
    bounds: tileBounds(tj),
    layerOrder: layerIds(),
    onTileData: function (coords, vt) {
      var found = labels.extract(vt, coords, layerIds());
      if (state.labels) { state.labels.set(tileKey(coords), found); }
    },
    attribution: escapeHTML(tj.attribution || '') // plain text: Leaflet shows it as HTML
  });
  followTiles(grid);
  state.grid = grid;
  grid.addTo(map);
}

// tileBounds is the LatLngBounds of TileJSON tj's bounds (WGS84 lon, lat),
// or undefined when it has none: the grid asks for no tile outside them
// (they would all be empty), two thirds of the tiles of Jiangyin's first
// view at 1920×1080.
export function tileBounds(tj) {
  var b = tj.bounds;
  if (!Array.isArray(b) || b.length !== 4) { return undefined; }
  return L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
}

// followTiles keeps the test hooks, the labels and the status line in step
// with the tiles of grid.
function followTiles(grid) {
  grid.on('loading', function () { window.gridmapIdle = false; });
  grid.on('tileload', function () {
    window.gridmapTilesLoaded++;
    if (state.labels) { state.labels.schedule(); }
  });
  grid.on('tileunload', function (e) {
    if (state.labels && e.coords) { state.labels.remove(tileKey(e.coords)); }
  });
  grid.on('load', function () {
    window.gridmapIdle = true;
    if (state.labels) { state.labels.schedule(); }
    if (!window.gridmapReady) {
      window.gridmapReady = true;
      setStatus('');
    }
  });
  grid.on('tileerror', function (e) {
    setStatus('瓦片加载失败 ' + tileKey(e.coords), true);
  });
}

// addLabels adds the layer that draws the grids' names.
export function addLabels() {
  state.labels = new labels.Layer({
    config: function () { return labelConfig(Math.round(map.getZoom())); },
    keys: currentTileKeys
  }).addTo(map);
}

// currentTileKeys are the keys of the grid's tiles at the current zoom.
function currentTileKeys() {
  var g = state.grid, out = [];
  if (!g || !g._tiles) { return out; }
  Object.keys(g._tiles).forEach(function (k) {
    if (g._tiles[k].current) { out.push(k); }
  });
  return out;
}

// drawnFeatures is the number of features of layer id drawn on the tiles
// of the current zoom, each counted once however many tiles it crosses
// (window.gridmapDrawnFeatures, for tests).
export function drawnFeatures(id) {
  var g = state.grid, seen = {}, n = 0;
  if (!g || !g._vectorTiles) { return 0; }
  currentTileKeys().forEach(function (k) {
    var feats = (g._vectorTiles[k] && g._vectorTiles[k]._features) || {};
    Object.keys(feats).forEach(function (fid) {
      if (feats[fid].layerName === id && !seen[fid]) { seen[fid] = true; n++; }
    });
  });
  return n;
}
window.gridmapDrawnFeatures = drawnFeatures;

// featureId names a feature by its grid code, which is unique over all
// layers and is what /api/v1/lookup returns; the numeric tile feature id is
// the fallback for a feature without a code.
function featureId(feat) {
  var p = feat.properties || {};
  if (p.code !== undefined && p.code !== null && p.code !== '') { return String(p.code); }
  return feat.id;
}
