// gridmap page: the nested grids drawn from the server's vector tiles on a
// plain background (no base map unless the server names one), with a side
// panel to search grids, look up typed coordinates and show, for a selected
// point or grid, the chain of grids that hold it (finest first).
//
// This module starts the page; the others each hold one concern: map.js
// (the L.Map), grid.js (the vector tiles), labels.js (names on the map),
// style.js (colours and widths), layers.js (layer switches, redraw),
// hash.js and view.js (the address and the view), panel.js and theme.js,
// search.js, lookup.js, selection.js, coords.js, crs.js and marker.js
// (finding grids and showing them), live.js (version updates), and the
// helpers api.js, dom.js, format.js, names.js, state.js, vectorgrid.js. They
// are ES modules loaded without a bundler; Leaflet and Leaflet.VectorGrid
// are classic scripts loaded before them (the global L).
//
// The address #zoom/lat/lon/layers (layers: the visible layers, comma
// separated) holds the view and follows the map both ways, so a wall display
// is set up by a link; ?theme=light|dark picks the theme (default dark);
// ?key=TOKEN gives the page an API key for a server that requires keys
// (api.js passes it on and takes it out of the address bar).
// The page follows the server's version (/api/v1/events, or /healthz every
// 10 s when that fails) and redraws the tiles of a new version in place.
//
// The incidents (issue 17) are the left panel and the right panel's detail
// sections: incidents.js (level and metric switches), metric.js, classes.js
// and legend.js (the grids coloured by a metric from /api/v1/stats),
// stream.js (/api/v1/stream), feed.js (latest and overdue lists), pulse.js
// (new incidents on the map), detail.js, actions.js and me.js (an
// incident's history and the steps the page's key may take), gridinfo.js
// (a grid's figures and people), overlay.js (the incident tiles) and
// marks.js (timings). ?level=ID&metric=total|closure|overdue set the
// colouring for a wall.
//
// Hooks for tests and embedding pages:
//   window.gridmap              the L.Map
//   window.gridmapReady         true once /tiles.json is read and the first tiles are drawn
//   window.gridmapTilesLoaded   number of tiles drawn so far
//   window.gridmapIdle          true while no tile is loading
//   window.gridmapLookup        the last lookup: {lat, lon, crs, state, response}
//   window.gridmapHighlighted   code of the grid drawn highlighted, or null
//   window.gridmapVersion       the version the tiles on screen come from
//   window.gridmapTilesURL      the tile URL template in use
//   window.gridmapLive          "sse" or "poll": how version changes arrive
//   window.gridmapLabelsDrawn   number of names drawn on the map
//   window.gridmapMarker        [lat, lon] of the typed-coordinates marker, or null
//   window.gridmapMoving        true while the map pans, zooms or flies
//   window.gridmapVisibleLayers()  ids of the layers switched on
//   #selected-code              code of the selected grid (finest grid at a point)
//   #chain li[data-layer][data-code]   the whole chain, finest first
//   window.gridmapMetric        {level, kind, breaks, grids}: the colouring drawn
//   window.gridmapSetLevel(id)  switches the coloured level (resolves when drawn)
//   window.gridmapMarks         {firstPaint, levelSwitch} in ms (marks.js)
//   window.gridmapStream        "open" or "error"; gridmapStreamEvents counts events
//   window.gridmapPulses        new incidents marked on the map
//   window.gridmapMe            the /api/v1/me of the page's key, or undefined
//   window.gridmapFeatureStyle(code)   the style grid code is drawn with, or null
//   window.gridmapDrawnFeatures(layer) features of a layer drawn at the current zoom (grid.js)
import { map } from './map.js';
import { state, visibleLayers } from './state.js';
import { fetchJSON } from './api.js';
import { round7 } from './format.js';
import { patchVectorGrid } from './vectorgrid.js';
import { screenScale } from './style.js';
import { useTileJSON, buildGrid, addLabels } from './grid.js';
import { renderLayerList, redraw } from './layers.js';
import { updateHighlight } from './highlight.js';
import { parseHash, applyLayers, writeHash } from './hash.js';
import { fitView, applyHash } from './view.js';
import { initPanel, setStatus } from './panel.js';
import { initTheme } from './theme.js';
import { initSearch, closeSuggestions } from './search.js';
import { initCoords } from './coords.js';
import { useCoordinateSystems } from './crs.js';
import { setMarker } from './marker.js';
import { lookup } from './lookup.js';
import { subscribe } from './live.js';
import { startIncidents } from './incidents.js';

// The hooks listed above, before anything is drawn.
Object.assign(window, {
  gridmap: map,
  gridmapReady: false,
  gridmapTilesLoaded: 0,
  gridmapIdle: false,
  gridmapLookup: null,
  gridmapHighlighted: null,
  gridmapVersion: null,
  gridmapTilesURL: null,
  gridmapLive: null,
  gridmapLabelsDrawn: 0,
  gridmapMarker: null,
  gridmapMoving: false,
  gridmapVisibleLayers: visibleLayers,
  gridmapFeatureStyle: function (code) { return state.grid ? state.grid.featureStyle(String(code)) : null; }
});

patchVectorGrid();
state.scale = screenScale();
initTheme(redraw);
initPanel();
initSearch();
initCoords();
followMap();

var config = fetchJSON('/api/v1/config').then(function (r) { return r.body || {}; }, function () { return {}; });
config.then(function (cfg) { useCoordinateSystems(cfg.coordinate_systems); });
Promise.all([fetchJSON('/tiles.json'), config]).then(function (res) {
  start(res[0].body, res[0].version, res[1]);
}, function (err) {
  setStatus('无法读取 /tiles.json：' + err.message, true);
});

// followMap wires the map's and the window's events.
function followMap() {
  map.on('click', onMapClick);
  map.on('movestart', function () { window.gridmapMoving = true; });
  map.on('moveend', function () { window.gridmapMoving = false; });
  map.on('zoomend', function () {
    renderLayerList();
    updateHighlight();
  });
  window.addEventListener('resize', onResize);
  window.addEventListener('hashchange', function () {
    var h = parseHash(window.location.hash);
    if (h) { applyHash(h); }
  });
}

// start builds the map from a TileJSON document of version v and the
// page configuration of the server.
function start(tj, v, cfg) {
  if (cfg.basemap) {
    state.basemap = L.tileLayer(cfg.basemap, {
      maxZoom: map.getMaxZoom(), maxNativeZoom: 18, zIndex: 0, className: 'gridmap-basemap'
    }).addTo(map);
  }
  useTileJSON(tj, v);
  var h = parseHash(window.location.hash);
  if (h && h.layers) { applyLayers(h.layers); }
  // the level's counts are asked before the tiles (they answer first), so
  // that each tile is drawn coloured once instead of drawn and restyled
  var drawn;
  startIncidents(new Promise(function (resolve) { drawn = resolve; }));
  buildGrid();
  state.grid.once('load', drawn);
  addLabels();
  fitView(tj, h);
  // a first view outside tiles.json's bounds asks for no tile: it is drawn
  // as it is (the page is ready, the lists are read)
  if (!state.grid.isLoading()) { state.grid.fire('load'); }
  map.on('moveend', writeHash);
  renderLayerList();
  subscribe();
}

// onMapClick looks up the clicked point (WGS84).
function onMapClick(e) {
  // VectorGrid's canvas tiles pass a click on a feature to the map a second
  // time; one DOM click is one lookup.
  if (e.originalEvent && e.originalEvent === state.lastClickEvent) { return; }
  state.lastClickEvent = e.originalEvent || null;
  closeSuggestions();
  setMarker(null);
  var lon = round7(e.latlng.lng), lat = round7(e.latlng.lat);
  state.selection = { kind: 'point', lon: lon, lat: lat };
  lookup(lon, lat, 'wgs84', null);
}

function onResize() {
  var k = screenScale();
  if (Math.abs(k - state.scale) > 0.05) {
    state.scale = k;
    redraw();
  }
}
