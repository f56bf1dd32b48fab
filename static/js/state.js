// The page's shared state: what is drawn, selected and pending. Modules read
// and change it in place; the map itself is map.js's.

// state is the one state object of the page.
export var state = {
  tj: null,          // the TileJSON in use
  layers: [],        // vector_layers of tiles.json without labels, coarse to fine: {id, minzoom, maxzoom, partial}, maxzoom Infinity when overzoomed past tiles.json's
  hidden: {},        // layer id -> true when switched off
  theme: 'dark',
  scale: 1,          // line and label scale for big screens
  grid: null,        // the L.VectorGrid.Protobuf layer
  labels: null,      // the labels.js Layer
  basemap: null,
  version: null,     // version of the tiles drawn
  highlighted: null, // feature id (grid code) drawn highlighted
  chain: [],         // the chain of the selection, finest first
  selection: null,   // what was selected: {kind: 'point'|'grid'|'coords', ...} to refresh on a new version
  marker: null,
  lastClickEvent: null,
  lookupSeq: 0,
  searchSeq: 0,
  searchTimer: null,
  suggestions: [],
  active: -1,        // index of the keyboard-selected suggestion
  pollTimer: null,
  reloading: null
};

// layerIds are the ids of the layers, coarse to fine.
export function layerIds() {
  return state.layers.map(function (l) { return l.id; });
}

// visibleLayers are the ids of the layers switched on (window.gridmapVisibleLayers).
export function visibleLayers() {
  return state.layers.filter(function (l) { return !state.hidden[l.id]; }).map(function (l) { return l.id; });
}

// layerIndex is the index of layer id in state.layers, or -1.
export function layerIndex(id) {
  for (var i = 0; i < state.layers.length; i++) {
    if (state.layers[i].id === id) { return i; }
  }
  return -1;
}
