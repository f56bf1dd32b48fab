// gridmap page: the nested grids drawn from the server's vector tiles on a
// plain background (no base map unless the server names one), with a side
// panel to search grids, look up typed coordinates and show, for a selected
// point or grid, the chain of grids that hold it (finest first).
//
// The address #zoom/lat/lon/layers (layers: the visible layers, comma
// separated) holds the view and follows the map both ways, so a wall display
// is set up by a link; ?theme=light|dark picks the theme (default dark).
// The page follows the server's version (/api/v1/events, or /healthz every
// 10 s when that fails) and redraws the tiles of a new version in place.
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
(function () {
  'use strict';

  window.gridmapReady = false;
  window.gridmapTilesLoaded = 0;
  window.gridmapIdle = false;
  window.gridmapLookup = null;
  window.gridmapHighlighted = null;
  window.gridmapVersion = null;
  window.gridmapTilesURL = null;
  window.gridmapLive = null;
  window.gridmapLabelsDrawn = 0;
  window.gridmapMarker = null;
  window.gridmapMoving = false;

  patchVectorGrid();

  // Line colours per layer, coarse to fine; a layer past the end takes the last.
  var PALETTES = {
    light: {
      lines: ['#7a1f1f', '#b5462f', '#2c5d9e', '#2f7d4f', '#7b8794'], fill: '#4a78b5', highlight: '#e8453c',
      label: '#1d2630', labelCoarse: '#6b1d1d', halo: 'rgba(255,255,255,0.92)'
    },
    dark: {
      lines: ['#ffb4a8', '#ff9966', '#7fb2ff', '#74d39a', '#8fa0b3'], fill: '#7fb2ff', highlight: '#ffd166',
      label: '#e8eef4', labelCoarse: '#ffd2a6', halo: 'rgba(11,18,27,0.9)'
    }
  };
  var LAYER_NAMES = {
    county: '区县', counties: '区县', towns: '镇街', town: '镇街', villages: '村社区', village: '村社区',
    grids: '网格', grid: '网格', microgrids: '微网格', micro: '微网格'
  };
  var LEVEL_NAMES = { county: '区县', town: '镇街', village: '村社区', grid: '网格', micro: '微网格' };
  var THEME_KEY = 'gridmap.theme';
  var POLL_MS = 10000;
  var SEARCH_DEBOUNCE_MS = 180;
  var LABEL_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

  var state = {
    tj: null,          // the TileJSON in use
    layers: [],        // vector_layers of tiles.json without labels, coarse to fine: {id, minzoom, maxzoom}
    hidden: {},        // layer id -> true when switched off
    theme: 'dark',
    scale: 1,          // line and label scale for big screens
    grid: null,        // the L.VectorGrid.Protobuf layer
    labels: null,      // the GridmapLabels.Layer
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

  var map = L.map('map', {
    crs: L.CRS.EPSG3857,
    zoomControl: true,
    attributionControl: false,
    fadeAnimation: false, // tiles appear at once: steady wall displays, steady screenshots
    preferCanvas: true,
    minZoom: 3,
    maxZoom: 20,
    tapTolerance: 20
  });
  L.control.attribution({ position: 'bottomright', prefix: 'Leaflet' }).addTo(map);
  L.control.scale({ imperial: false, position: 'bottomleft', maxWidth: 200 }).addTo(map);
  window.gridmap = map;
  window.gridmapVisibleLayers = function () {
    return state.layers.filter(function (l) { return !state.hidden[l.id]; }).map(function (l) { return l.id; });
  };

  state.scale = screenScale();
  initTheme();
  initPanel();
  initSearch();
  initCoords();
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

  Promise.all([
    fetchJSON('/tiles.json'),
    fetchJSON('/api/v1/config').catch(function () { return {}; })
  ]).then(function (res) {
    start(res[0].body, res[0].version, res[1].body || {});
  }, function (err) {
    setStatus('无法读取 /tiles.json：' + err.message, true);
  });

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
    buildGrid();
    state.labels = new GridmapLabels.Layer({ config: labelConfig, keys: currentTileKeys }).addTo(map);
    fitView(tj, h);
    map.on('moveend', writeHash);
    renderLayerList();
    subscribe();
  }

  function useTileJSON(tj, v) {
    state.tj = tj;
    state.layers = (tj.vector_layers || []).filter(function (l) {
      return l.id !== GridmapLabels.LABEL_LAYER;
    }).map(function (l) {
      return { id: l.id, minzoom: numberOr(l.minzoom, 0), maxzoom: numberOr(l.maxzoom, 22) };
    });
    state.version = v || tj.version || null;
    window.gridmapVersion = state.version;
    if (state.version) { setVersion(state.version); }
  }

  // tileURL is the URL template of the tiles of the version: the server's
  // immutable versioned URLs when tiles.json names them, else the latest
  // tiles with the version as a cache-busting query.
  function tileURL(tj, v) {
    var vt = tj['gridmap:versioned_tiles'];
    if (Array.isArray(vt)) { vt = vt[0]; }
    if (typeof vt === 'string' && vt) {
      return v ? vt.replace('{version}', encodeURIComponent(v)) : vt;
    }
    var url = (tj.tiles && tj.tiles[0]) || '/tiles/{z}/{x}/{y}.mvt';
    if (!v) { return url; }
    return url + (url.indexOf('?') >= 0 ? '&' : '?') + 'v=' + encodeURIComponent(v);
  }

  function buildGrid() {
    var tj = state.tj;
    var url = tileURL(tj, state.version);
    window.gridmapTilesURL = url;
    var nativeMax = Math.min(numberOr(tj.maxzoom, 22), map.getMaxZoom());
    var styles = {};
    state.layers.forEach(function (l, i) {
      styles[l.id] = function (props, zoom) { return layerStyle(i, zoom); };
    });
    styles[GridmapLabels.LABEL_LAYER] = []; // drawn by the label layer
    var grid = L.vectorGrid.protobuf(url, {
      rendererFactory: L.canvas.tile,
      vectorTileLayerStyles: styles,
      interactive: true,
      getFeatureId: featureId,
      maxNativeZoom: nativeMax,
      minNativeZoom: numberOr(tj.minzoom, 0),
      maxZoom: map.getMaxZoom(),
      layerOrder: state.layers.map(function (l) { return l.id; }),
      onTileData: function (coords, vt) {
        var labels = GridmapLabels.extract(vt, coords, state.layers.map(function (l) { return l.id; }));
        if (state.labels) { state.labels.set(tileKey(coords), labels); }
      },
      attribution: tj.attribution || ''
    });
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
    state.grid = grid;
    grid.addTo(map);
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

  // labelConfig says which layers' names are drawn at the current zoom: the
  // two finest layers switched on whose grids are big enough there (two
  // zooms past the layer's first), coarse first and larger.
  function labelConfig() {
    var zoom = Math.round(map.getZoom());
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

  // fitView shows the view named in the address, or else the bounds or
  // centre of the tiles.
  function fitView(tj, h) {
    if (h) {
      map.setView([h.lat, h.lon], h.zoom);
      return;
    }
    var b = tj.bounds;
    if (b && b.length === 4 && b[0] < b[2] && b[1] < b[3]) {
      var cover = panelCover();
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {
        paddingTopLeft: [20, 20], paddingBottomRight: [20 + cover.x, 20 + cover.y]
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

  // parseHash reads #zoom/lat/lon or #zoom/lat/lon/layer,layer,...
  function parseHash(hash) {
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
  function applyLayers(names) {
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

  function applyHash(h) {
    if (h.layers && applyLayers(h.layers)) { redraw(); }
    var c = map.getCenter();
    if (map.getZoom() !== h.zoom || Math.abs(c.lat - h.lat) > 1e-5 || Math.abs(c.lng - h.lon) > 1e-5) {
      map.setView([h.lat, h.lon], h.zoom);
    }
  }

  function writeHash() {
    var c = map.getCenter();
    var hash = '#' + map.getZoom() + '/' + c.lat.toFixed(5) + '/' + c.lng.toFixed(5) + '/' +
      window.gridmapVisibleLayers().map(encodeURIComponent).join(',');
    if (window.location.hash !== hash && window.history && window.history.replaceState) {
      window.history.replaceState(null, '', hash);
    }
  }

  // featureId names a feature by its grid code, which is unique over all
  // layers and is what /api/v1/lookup returns; the numeric tile feature id is
  // the fallback for a feature without a code.
  function featureId(feat) {
    var p = feat.properties || {};
    if (p.code !== undefined && p.code !== null && p.code !== '') { return String(p.code); }
    return feat.id;
  }

  // layerStyle is the style of layer i (0 = coarsest) at a zoom: nothing when
  // the layer is switched off or the zoom is below its minzoom; coarser layers
  // get thicker lines; only the finest layer drawn at that zoom is filled.
  function layerStyle(i, zoom) {
    if (!visibleAt(i, zoom)) { return []; }
    var pal = PALETTES[state.theme];
    var n = state.layers.length;
    var finest = finestVisible(zoom) === i;
    var fine = n > 1 ? i / (n - 1) : 1; // 0 coarsest … 1 finest
    return {
      color: pal.lines[Math.min(i, pal.lines.length - 1)],
      weight: round1((4 - 3.2 * fine) * state.scale),
      opacity: 0.95,
      fill: finest,
      fillColor: pal.fill,
      fillOpacity: finest ? 0.07 : 0
    };
  }

  function visibleAt(i, zoom) {
    var l = state.layers[i];
    return !!l && !state.hidden[l.id] && zoom >= l.minzoom && zoom <= l.maxzoom;
  }

  function finestVisible(zoom) {
    for (var i = state.layers.length - 1; i >= 0; i--) {
      if (visibleAt(i, zoom)) { return i; }
    }
    return -1;
  }

  function highlightStyle() {
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

  // updateHighlight marks the finest grid of the selection's chain that is
  // drawn at the current zoom: the micro grid when zoomed in, its village
  // when zoomed out.
  function updateHighlight() {
    var zoom = Math.round(map.getZoom());
    var code = null;
    for (var i = 0; i < state.chain.length && code === null; i++) {
      var li = layerIndex(state.chain[i].layer);
      if (li >= 0 && visibleAt(li, zoom)) { code = String(state.chain[i].code); }
    }
    if (code !== state.highlighted) { highlight(code); }
  }

  function layerIndex(id) {
    for (var i = 0; i < state.layers.length; i++) {
      if (state.layers[i].id === id) { return i; }
    }
    return -1;
  }

  function highlight(code) {
    if (!state.grid) { return; }
    if (state.highlighted !== null) { state.grid.resetFeatureStyle(state.highlighted); }
    state.highlighted = code;
    window.gridmapHighlighted = code;
    if (code !== null) { state.grid.setFeatureStyle(code, highlightStyle()); }
  }

  // ---- selection: click, search, typed coordinates -------------------------

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

  // lookup asks /api/v1/lookup about (lon, lat) in crs and shows the chain;
  // with fromLayer the chain starts at that layer (a searched grid).
  function lookup(lon, lat, crs, fromLayer) {
    var seq = ++state.lookupSeq;
    window.gridmapLookup = { lat: lat, lon: lon, crs: crs, state: 'pending', response: null };
    setSelectionState('pending');
    var q = '/api/v1/lookup?lon=' + encodeURIComponent(lon) + '&lat=' + encodeURIComponent(lat);
    if (crs && crs !== 'wgs84') { q += '&crs=' + encodeURIComponent(crs); }
    return fetchJSON(q).then(function (r) {
      if (seq !== state.lookupSeq) { return null; }
      var res = r.body;
      window.gridmapLookup = { lat: lat, lon: lon, crs: crs, state: 'done', response: res };
      var chain = res.chain || [];
      if (fromLayer) {
        for (var i = 0; i < chain.length; i++) {
          if (chain[i].layer === fromLayer) { chain = chain.slice(i); break; }
        }
      }
      renderSelection(lon, lat, crs, res.wgs84, chain);
      return res;
    }, function (err) {
      if (seq !== state.lookupSeq) { return null; }
      window.gridmapLookup = { lat: lat, lon: lon, crs: crs, state: 'error', response: null };
      renderLookupError(lon, lat, err);
      return null;
    });
  }

  function crsName(crs) {
    return { wgs84: 'WGS84', gcj02: 'GCJ-02', bd09: 'BD-09' }[crs] || crs;
  }

  function renderSelection(lon, lat, crs, wgs, chain) {
    var sec = document.getElementById('selection');
    clear(sec);
    sec.appendChild(el('h2', null, '选中网格'));
    var where = '经度 ' + fixed(lon) + '，纬度 ' + fixed(lat);
    if (crs && crs !== 'wgs84') {
      where += '（' + crsName(crs) + '）';
      if (wgs) { where += ' → WGS84 ' + fixed(wgs.lon) + ', ' + fixed(wgs.lat); }
    }
    sec.appendChild(el('p', { class: 'coords', id: 'selected-coords' }, where));
    if (!chain.length) {
      setSelectionState('outside');
      sec.appendChild(el('p', { class: 'hint' }, '该点不在任何网格内。'));
      state.chain = [];
      updateHighlight();
      return;
    }
    setSelectionState('found');
    var f = chain[0];
    var props = f.properties || {};
    var finest = el('div', { class: 'finest' });
    finest.appendChild(el('span', { class: 'name', id: 'selected-name' }, f.name || '（无名称）'));
    finest.appendChild(el('code', { id: 'selected-code', 'data-layer': f.layer }, f.code));
    var dl = el('dl');
    dl.appendChild(el('dt', null, '层级'));
    dl.appendChild(el('dd', { id: 'selected-layer' }, levelName(f.level, f.layer) + ' · ' + f.layer));
    dl.appendChild(el('dt', null, '户数'));
    dl.appendChild(el('dd', { id: 'selected-households' }, show(props.households)));
    dl.appendChild(el('dt', null, '网格类型'));
    dl.appendChild(el('dd', { id: 'selected-grid-type' }, gridType(props.grid_type)));
    finest.appendChild(dl);
    sec.appendChild(finest);

    sec.appendChild(el('h2', null, '所属层级（由细到粗）'));
    var ol = el('ol', { id: 'chain' });
    chain.forEach(function (c) {
      var li = el('li', { 'data-layer': c.layer, 'data-code': c.code, title: '显示 ' + (c.name || c.code) });
      li.appendChild(el('span', { class: 'layer' }, levelName(c.level, c.layer)));
      li.appendChild(el('span', { class: 'name' }, c.name || '（无名称）'));
      li.appendChild(el('code', null, c.code));
      li.addEventListener('click', function () { showGrid(c.code, c.layer); });
      ol.appendChild(li);
    });
    sec.appendChild(ol);
    state.chain = chain;
    updateHighlight();
  }

  // showGrid flies to a grid of the chain, found by its code.
  function showGrid(code, layer) {
    fetchJSON('/api/v1/search?limit=1&q=' + encodeURIComponent(code)).then(function (r) {
      var hit = (r.body.results || [])[0];
      if (hit && hit.code === code && hit.layer === layer) { flyToResult(hit); }
    }, function () { /* the chain stays as it is */ });
  }

  function levelName(level, layer) {
    return LEVEL_NAMES[level] || LAYER_NAMES[layer] || level || layer;
  }

  function gridType(t) {
    var names = { urban: '城镇', rural: '农村', dedicated: '专属', mixed: '城乡结合', industrial: '园区' };
    return t === undefined || t === null || t === '' ? '–' : (names[t] ? names[t] + '（' + t + '）' : String(t));
  }

  function renderLookupError(lon, lat, err) {
    var sec = document.getElementById('selection');
    clear(sec);
    setSelectionState('error');
    sec.appendChild(el('h2', null, '选中网格'));
    sec.appendChild(el('p', { class: 'coords' }, '经度 ' + lon + '，纬度 ' + lat));
    sec.appendChild(el('p', { class: 'status error', id: 'lookup-error' }, '查询失败：' + err.message));
  }

  function setSelectionState(s) {
    document.getElementById('selection').setAttribute('data-state', s);
  }

  // refreshSelection asks again about the selection, after a version change.
  function refreshSelection() {
    var s = state.selection;
    if (!s) { return; }
    highlight(null);
    if (s.kind === 'grid') {
      lookup(s.lon, s.lat, 'wgs84', s.layer);
    } else {
      lookup(s.lon, s.lat, s.crs || 'wgs84', null);
    }
  }

  // ---- search ---------------------------------------------------------------

  function initSearch() {
    var input = document.getElementById('search-input');
    var form = document.getElementById('search-form');
    input.addEventListener('input', function () {
      clearTimeout(state.searchTimer);
      var q = input.value.trim();
      if (!q) { closeSuggestions(); return; }
      state.searchTimer = setTimeout(function () { runSearch(q); }, SEARCH_DEBOUNCE_MS);
    });
    input.addEventListener('keydown', function (e) {
      var n = state.suggestions.length;
      if (e.key === 'ArrowDown' && n) {
        e.preventDefault();
        setActive((state.active + 1) % n);
      } else if (e.key === 'ArrowUp' && n) {
        e.preventDefault();
        setActive((state.active - 1 + n) % n);
      } else if (e.key === 'Escape') {
        closeSuggestions();
      }
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      clearTimeout(state.searchTimer);
      if (state.suggestions.length) {
        pick(state.suggestions[Math.max(state.active, 0)]);
        return;
      }
      var q = input.value.trim();
      if (q) { runSearch(q, true); }
    });
    document.addEventListener('click', function (e) {
      if (!form.contains(e.target)) { closeSuggestions(); }
    });
  }

  // runSearch asks /api/v1/search and lists the results; with go, the first
  // result is picked at once.
  function runSearch(q, go) {
    var seq = ++state.searchSeq;
    window.gridmapSearch = { q: q, state: 'pending', results: null };
    fetchJSON('/api/v1/search?limit=10&q=' + encodeURIComponent(q)).then(function (r) {
      if (seq !== state.searchSeq) { return; }
      var results = r.body.results || [];
      window.gridmapSearch = { q: q, state: 'done', results: results };
      if (go && results.length) { pick(results[0]); return; }
      showSuggestions(results);
    }, function (err) {
      if (seq !== state.searchSeq) { return; }
      window.gridmapSearch = { q: q, state: 'error', results: null };
      setStatus('搜索失败：' + err.message, true);
    });
  }

  function showSuggestions(results) {
    var ul = document.getElementById('search-suggestions');
    var input = document.getElementById('search-input');
    clear(ul);
    state.suggestions = results;
    state.active = -1;
    if (!results.length) {
      ul.appendChild(el('li', { class: 'empty', role: 'option', 'aria-disabled': 'true' }, '没有找到匹配的网格'));
    }
    results.forEach(function (r, i) {
      var li = el('li', { role: 'option', id: 'suggestion-' + i, 'data-code': r.code, 'data-layer': r.layer });
      li.appendChild(el('span', { class: 'name' }, r.name || r.code));
      li.appendChild(el('span', { class: 'layer' }, levelName(r.level, r.layer)));
      li.appendChild(el('code', null, r.code));
      li.addEventListener('mousedown', function (e) { e.preventDefault(); }); // keep the input focused
      li.addEventListener('click', function () { pick(r); });
      ul.appendChild(li);
    });
    ul.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function setActive(i) {
    state.active = i;
    var items = document.querySelectorAll('#search-suggestions li[role=option]');
    Array.prototype.forEach.call(items, function (li, k) {
      li.setAttribute('aria-selected', k === i ? 'true' : 'false');
      if (k === i) { li.scrollIntoView({ block: 'nearest' }); }
    });
    document.getElementById('search-input').setAttribute('aria-activedescendant', i >= 0 ? 'suggestion-' + i : '');
  }

  function closeSuggestions() {
    var ul = document.getElementById('search-suggestions');
    ul.hidden = true;
    clear(ul);
    state.suggestions = [];
    state.active = -1;
    document.getElementById('search-input').setAttribute('aria-expanded', 'false');
  }

  // pick selects a search result: the map flies to its grid, which is
  // highlighted, and the panel shows it with its chain.
  function pick(r) {
    closeSuggestions();
    document.getElementById('search-input').value = r.name || r.code;
    setMarker(null);
    state.selection = { kind: 'grid', lon: r.center[0], lat: r.center[1], layer: r.layer, code: r.code };
    // Show the grid at once; the lookup adds its chain.
    state.chain = [{ layer: r.layer, code: r.code, name: r.name, level: r.level }];
    updateHighlight();
    flyToResult(r);
    lookup(r.center[0], r.center[1], 'wgs84', r.layer);
  }

  // flyToResult flies to the grid's bbox, close enough for its layer to be drawn.
  function flyToResult(r) {
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

  // panelCover is how much of the map the open panel hides: its width on a
  // wide screen (panel on the right), its height on a narrow one (at the bottom).
  function panelCover() {
    var panel = document.getElementById('panel');
    var r = panel.getBoundingClientRect(), m = map.getSize();
    if (!r.width || r.width > m.x * 0.6) {
      return L.point(0, r.height && r.height < m.y * 0.7 ? r.height : 0);
    }
    return L.point(r.width, 0);
  }

  // ---- typed coordinates ------------------------------------------------------

  function initCoords() {
    var form = document.getElementById('coord-form');
    var lonIn = document.getElementById('coord-lon');
    var latIn = document.getElementById('coord-lat');
    // "120.28, 31.90" pasted into one field fills both.
    lonIn.addEventListener('input', function () {
      var m = /^\s*(-?\d+(?:\.\d+)?)\s*[,，\s]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(lonIn.value);
      if (m) { lonIn.value = m[1]; latIn.value = m[2]; }
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var lon = Number(lonIn.value.trim()), lat = Number(latIn.value.trim());
      var crs = document.getElementById('coord-crs').value;
      if (lonIn.value.trim() === '' || latIn.value.trim() === '' || !isFinite(lon) || !isFinite(lat)) {
        setStatus('请输入经度和纬度（十进制度数）。', true);
        return;
      }
      setStatus('');
      closeSuggestions();
      state.selection = { kind: 'coords', lon: lon, lat: lat, crs: crs };
      lookup(lon, lat, crs, null).then(function (res) {
        if (!res) { return; }
        var p = res.wgs84 || { lon: lon, lat: lat };
        setMarker([p.lat, p.lon]);
        map.setView([p.lat, p.lon], Math.max(map.getZoom(), 16));
      });
    });
  }

  function setMarker(latlng) {
    if (state.marker) { map.removeLayer(state.marker); state.marker = null; }
    window.gridmapMarker = latlng;
    if (!latlng) { return; }
    var s = Math.round(34 * state.scale);
    state.marker = L.marker(latlng, {
      icon: L.divIcon({
        className: 'coord-marker',
        html: '<span class="pin"></span><span class="dot"></span>',
        iconSize: [s, s], iconAnchor: [s / 2, s]
      }),
      interactive: false,
      keyboard: false
    }).addTo(map);
  }

  // ---- version events -----------------------------------------------------------

  // subscribe follows the server's version: Server-Sent Events from
  // /api/v1/events, with /healthz polled every 10 s while they fail.
  function subscribe() {
    if (!window.EventSource) { startPolling(); return; }
    var es = new EventSource('/api/v1/events');
    es.addEventListener('version', function (e) { onVersion(e.data); });
    es.addEventListener('open', function () {
      stopPolling();
      setLive('sse');
    });
    es.addEventListener('error', function () {
      // The browser reconnects by itself; meanwhile poll.
      startPolling();
    });
  }

  function startPolling() {
    setLive('poll');
    if (state.pollTimer) { return; }
    state.pollTimer = setInterval(function () {
      fetchJSON('/healthz').then(function (r) { onVersion(r.body.version); }, function () { /* try again */ });
    }, POLL_MS);
  }

  function stopPolling() {
    if (state.pollTimer) { clearInterval(state.pollTimer); state.pollTimer = null; }
  }

  function setLive(how) {
    window.gridmapLive = how;
    var s = document.getElementById('live');
    s.textContent = how === 'sse' ? '● 实时' : '○ 轮询';
    s.className = 'live' + (how === 'sse' ? ' on' : '');
  }

  // onVersion reloads tiles.json and redraws the tiles when the server
  // serves another version than the one drawn.
  function onVersion(v) {
    if (!v || v === state.version || !state.tj) { return; }
    if (state.reloading === v) { return; }
    state.reloading = v;
    fetchJSON('/tiles.json').then(function (r) {
      state.reloading = null;
      var nv = r.version || v;
      if (nv === state.version) { return; }
      var oldIds = state.layers.map(function (l) { return l.id; }).join(',');
      useTileJSON(r.body, nv);
      var newIds = state.layers.map(function (l) { return l.id; }).join(',');
      highlight(null);
      if (state.labels) { state.labels.clear(); }
      if (oldIds !== newIds) {
        map.removeLayer(state.grid);
        buildGrid();
      } else {
        var url = tileURL(r.body, nv);
        window.gridmapTilesURL = url;
        state.grid.setUrl(url);
      }
      renderLayerList();
      refreshSelection();
      setStatus('已切换到数据版本 ' + nv, false, true);
      setTimeout(function () {
        var s = document.getElementById('status');
        if (s.className.indexOf('notice') >= 0) { setStatus(''); }
      }, 8000);
    }, function (err) {
      state.reloading = null;
      setStatus('无法读取新版本 ' + v + '：' + err.message, true);
    });
  }

  // ---- layers, theme, panel ---------------------------------------------------

  // renderLayerList draws one switch per layer, greyed out where the current
  // zoom is outside the layer's zoom range.
  function renderLayerList() {
    var ul = document.getElementById('layer-list');
    clear(ul);
    var zoom = Math.round(map.getZoom());
    var pal = PALETTES[state.theme];
    state.layers.forEach(function (l, i) {
      var inRange = zoom >= l.minzoom && zoom <= l.maxzoom;
      var li = el('li', { 'data-layer': l.id, class: inRange ? '' : 'out-of-range' });
      var label = el('label');
      var box = el('input', { type: 'checkbox', id: 'layer-toggle-' + i });
      box.checked = !state.hidden[l.id];
      box.addEventListener('change', function () {
        if (box.checked) { delete state.hidden[l.id]; } else { state.hidden[l.id] = true; }
        redraw();
        writeHash();
      });
      label.appendChild(box);
      var swatch = el('span', { class: 'swatch' });
      swatch.style.borderTopColor = pal.lines[Math.min(i, pal.lines.length - 1)];
      var n = state.layers.length, fine = n > 1 ? i / (n - 1) : 1;
      swatch.style.borderTopWidth = Math.max(1, Math.round((4 - 3.2 * fine) * state.scale)) + 'px';
      label.appendChild(swatch);
      label.appendChild(el('span', { class: 'name' }, LAYER_NAMES[l.id] || l.id));
      if (LAYER_NAMES[l.id]) { label.appendChild(el('span', { class: 'id' }, l.id)); }
      label.appendChild(el('span', { class: 'zoom' }, 'z' + l.minzoom + '+'));
      li.appendChild(label);
      ul.appendChild(li);
    });
  }

  function redraw() {
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

  function initTheme() {
    var saved = null;
    var q = /[?&]theme=(dark|light)\b/.exec(window.location.search);
    if (q) {
      saved = q[1];
    } else {
      try { saved = window.localStorage.getItem(THEME_KEY); } catch (e) { saved = null; }
    }
    setTheme(saved === 'light' ? 'light' : 'dark');
    document.getElementById('theme-toggle').addEventListener('click', function () {
      setTheme(state.theme === 'dark' ? 'light' : 'dark');
      try { window.localStorage.setItem(THEME_KEY, state.theme); } catch (e) { /* private mode */ }
      redraw();
    });
  }

  function setTheme(t) {
    state.theme = t;
    document.body.classList.toggle('theme-dark', t === 'dark');
    document.body.classList.toggle('theme-light', t !== 'dark');
    document.getElementById('theme-toggle').textContent = t === 'dark' ? '浅色' : '深色';
  }

  // initPanel: the panel body folds away (on a narrow screen it starts folded
  // so the map stays visible; the search box stays in reach).
  function initPanel() {
    var panel = document.getElementById('panel');
    var btn = document.getElementById('panel-toggle');
    function set(collapsed) {
      panel.setAttribute('data-collapsed', collapsed ? 'true' : 'false');
      btn.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
      btn.textContent = collapsed ? '展开' : '收起';
    }
    set(window.matchMedia && window.matchMedia('(max-width: 900px)').matches);
    btn.addEventListener('click', function () {
      set(panel.getAttribute('data-collapsed') !== 'true');
    });
  }

  // screenScale is how much thicker lines and bigger names are drawn on a
  // big screen (in CSS pixels) than on a 1920×1080 one: 1 up to there, 2 on a
  // 3840×2160 wall at 100 %.
  function screenScale() {
    var w = window.innerWidth || 1920, h = window.innerHeight || 1080;
    return Math.max(1, Math.min(3, Math.min(w / 1920, h / 1080)));
  }

  function onResize() {
    var k = screenScale();
    if (Math.abs(k - state.scale) > 0.05) {
      state.scale = k;
      redraw();
    }
  }

  function setVersion(v) { document.getElementById('version').textContent = String(v); }

  function setStatus(msg, isError, isNotice) {
    var s = document.getElementById('status');
    s.textContent = msg;
    s.className = 'status' + (isError ? ' error' : '') + (isNotice ? ' notice' : '');
    s.hidden = !msg;
  }

  // fetchJSON gets url as JSON: {body, version}, version being the data
  // version the server names in its X-Gridmap-Version header. An error
  // answer becomes an Error with the server's message.
  function fetchJSON(url) {
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) {
      if (!r.ok) {
        return r.text().then(function (body) {
          var msg = body ? body.slice(0, 200) : '';
          try {
            var e = JSON.parse(body).error;
            if (e && e.message) { msg = e.message; }
          } catch (x) { /* not JSON */ }
          throw new Error('HTTP ' + r.status + (msg ? '：' + msg : ''));
        });
      }
      var v = r.headers.get('X-Gridmap-Version');
      return r.json().then(function (body) { return { body: body, version: v }; });
    });
  }

  function el(tag, attrs, text) {
    var n = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== '') { n.setAttribute(k, attrs[k]); }
      });
    }
    if (text !== undefined && text !== null) { n.textContent = String(text); }
    return n;
  }

  function clear(n) { while (n.firstChild) { n.removeChild(n.firstChild); } }
  function show(v) { return v === undefined || v === null || v === '' ? '–' : String(v); }
  function numberOr(v, d) { return typeof v === 'number' && isFinite(v) ? v : d; }
  function round1(x) { return Math.round(x * 10) / 10; }
  function round7(x) { return Math.round(x * 1e7) / 1e7; }
  function fixed(x) { return Number(x).toFixed(6).replace(/\.?0+$/, ''); }
  function tileKey(c) { return c ? c.x + ':' + c.y + ':' + c.z : ''; }

  // patchVectorGrid adapts Leaflet.VectorGrid 1.3.0 to Leaflet 1.9:
  //  - Leaflet 1.8 removed L.DomEvent.fakeStop, which VectorGrid's canvas tile
  //    calls when a click hits a feature ("fakeStop is not a function"). The
  //    map handles the click itself, so the stand-in only marks the event.
  //  - a canvas tile that was unloaded has no _map; a late click on it is dropped.
  //  - options.layerOrder draws the layers of a tile finest first, so the
  //    thick lines of coarse layers stay on top of the thin fine ones.
  //  - options.onTileData(coords, vt) sees each decoded tile before it is
  //    drawn (the labels are taken from it there).
  function patchVectorGrid() {
    if (typeof L.DomEvent.fakeStop !== 'function') {
      L.DomEvent.fakeStop = function (e) { e._gridmapFakeStopped = true; };
    }
    var tileClick = L.Canvas.Tile.prototype._onClick;
    L.Canvas.Tile.include({
      _onClick: function (e) {
        if (!this._map) { return; }
        tileClick.call(this, e);
      }
    });
    var getTile = L.VectorGrid.Protobuf.prototype._getVectorTilePromise;
    L.VectorGrid.Protobuf.include({
      _getVectorTilePromise: function (coords, tileBounds) {
        var opts = this.options;
        return getTile.call(this, coords, tileBounds).then(function (vt) {
          if (!vt || !vt.layers) { return vt; }
          if (opts.onTileData) { opts.onTileData(coords, vt); }
          var order = opts.layerOrder;
          if (!order) { return vt; }
          var sorted = {};
          for (var i = order.length - 1; i >= 0; i--) {
            if (Object.prototype.hasOwnProperty.call(vt.layers, order[i])) { sorted[order[i]] = vt.layers[order[i]]; }
          }
          Object.keys(vt.layers).forEach(function (k) {
            if (!Object.prototype.hasOwnProperty.call(sorted, k)) { sorted[k] = vt.layers[k]; }
          });
          vt.layers = sorted;
          return vt;
        });
      }
    });
  }
})();
