// gridmap page: the nested grids drawn from the server's vector tiles on a
// plain background (no base map), and a side panel that shows, for a clicked
// point, the chain of grids that hold it (finest first), as /api/v1/lookup
// answers it.
//
// The address #zoom/lat/lon opens the map at that view.
//
// Hooks for tests and embedding pages:
//   window.gridmap              the L.Map
//   window.gridmapReady         true once /tiles.json is read and the first tiles are drawn
//   window.gridmapTilesLoaded   number of tiles drawn so far
//   window.gridmapIdle          true while no tile is loading
//   window.gridmapLookup        the last lookup: {lat, lon, state, response}
//   window.gridmapHighlighted   code of the grid drawn highlighted, or null
//   #selected-code              code of the finest grid holding the clicked point
//   #chain li[data-layer][data-code]   the whole chain, finest first
(function () {
  'use strict';

  window.gridmapReady = false;
  window.gridmapTilesLoaded = 0;
  window.gridmapIdle = false;
  window.gridmapLookup = null;
  window.gridmapHighlighted = null;

  patchVectorGrid();

  // Line colours per layer, coarse to fine; a layer past the end takes the last.
  var PALETTES = {
    light: { lines: ['#7a1f1f', '#b5462f', '#2c5d9e', '#2f7d4f', '#7b8794'], fill: '#4a78b5', highlight: '#e8453c' },
    dark: { lines: ['#ffb4a8', '#ff9966', '#7fb2ff', '#74d39a', '#8fa0b3'], fill: '#7fb2ff', highlight: '#ffd166' }
  };
  var THEME_KEY = 'gridmap.theme';

  var state = {
    layers: [],        // vector_layers of tiles.json, coarse to fine: {id, minzoom, maxzoom}
    hidden: {},        // layer id -> true when switched off in the list
    theme: 'light',
    grid: null,        // the L.VectorGrid.Protobuf layer
    highlighted: null, // feature id (grid code) drawn highlighted
    chain: [],         // the chain of the last lookup, finest first
    lastClickEvent: null,
    lookupSeq: 0
  };

  var map = L.map('map', {
    crs: L.CRS.EPSG3857,
    zoomControl: true,
    attributionControl: false,
    fadeAnimation: false, // tiles appear at once: steady wall displays, steady screenshots
    preferCanvas: true,
    minZoom: 3,
    maxZoom: 20
  });
  L.control.attribution({ position: 'bottomleft', prefix: 'Leaflet' }).addTo(map);
  window.gridmap = map;

  initTheme();
  map.on('click', onMapClick);
  map.on('zoomend', function () {
    renderLayerList();
    updateHighlight();
  });

  fetchJSON('/tiles.json').then(start, function (err) {
    setStatus('无法读取 /tiles.json：' + err.message, true);
  });

  // start builds the grid layer from a TileJSON document.
  function start(tj) {
    state.layers = (tj.vector_layers || []).map(function (l) {
      return { id: l.id, minzoom: numberOr(l.minzoom, 0), maxzoom: numberOr(l.maxzoom, 22) };
    });
    if (tj.version) { setVersion(tj.version); }

    var url = (tj.tiles && tj.tiles[0]) || '/tiles/{z}/{x}/{y}.mvt';
    var nativeMax = Math.min(numberOr(tj.maxzoom, 22), map.getMaxZoom());
    var styles = {};
    state.layers.forEach(function (l, i) {
      styles[l.id] = function (props, zoom) { return layerStyle(i, zoom); };
    });

    var grid = L.vectorGrid.protobuf(url, {
      rendererFactory: L.canvas.tile,
      vectorTileLayerStyles: styles,
      interactive: true,
      getFeatureId: featureId,
      maxNativeZoom: nativeMax,
      minNativeZoom: numberOr(tj.minzoom, 0),
      maxZoom: map.getMaxZoom(),
      layerOrder: state.layers.map(function (l) { return l.id; }),
      attribution: tj.attribution || ''
    });
    state.grid = grid;
    grid.on('loading', function () { window.gridmapIdle = false; });
    grid.on('tileload', function () { window.gridmapTilesLoaded++; });
    grid.on('load', function () {
      window.gridmapIdle = true;
      if (!window.gridmapReady) {
        window.gridmapReady = true;
        setStatus('');
      }
    });
    grid.on('tileerror', function (e) {
      setStatus('瓦片加载失败 ' + tileKey(e.coords), true);
    });

    fitToTileJSON(tj);
    grid.addTo(map);
    renderLayerList();
  }

  // fitToTileJSON shows the view named in the address (#zoom/lat/lon, kept up
  // to date as the map moves, so a wall display can be bookmarked), or else the
  // bounds or centre of the tiles.
  function fitToTileJSON(tj) {
    var h = parseHash(window.location.hash);
    map.on('moveend', writeHash);
    if (h) {
      map.setView([h.lat, h.lon], h.zoom);
      return;
    }
    var b = tj.bounds;
    if (b && b.length === 4 && b[0] < b[2] && b[1] < b[3]) {
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [20, 20] });
      return;
    }
    var c = tj.center;
    if (c && c.length >= 2) {
      map.setView([c[1], c[0]], numberOr(c[2], 10));
      return;
    }
    map.setView([0, 0], 3);
  }

  function parseHash(hash) {
    var m = /^#(\d{1,2})\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(hash || '');
    if (!m) { return null; }
    var zoom = Number(m[1]), lat = Number(m[2]), lon = Number(m[3]);
    if (Math.abs(lat) > 85.06 || Math.abs(lon) > 180) { return null; }
    return { zoom: zoom, lat: lat, lon: lon };
  }

  function writeHash() {
    var c = map.getCenter();
    var hash = '#' + map.getZoom() + '/' + c.lat.toFixed(5) + '/' + c.lng.toFixed(5);
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
      weight: round1(4 - 3.2 * fine),
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
    return {
      color: PALETTES[state.theme].highlight,
      weight: 3,
      opacity: 1,
      fill: true,
      fillColor: PALETTES[state.theme].highlight,
      fillOpacity: 0.3
    };
  }

  // updateHighlight marks the finest grid of the last lookup that is drawn at
  // the current zoom: the micro grid when zoomed in, its village when zoomed out.
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

  function onMapClick(e) {
    // VectorGrid's canvas tiles pass a click on a feature to the map a second
    // time; one DOM click is one lookup.
    if (e.originalEvent && e.originalEvent === state.lastClickEvent) { return; }
    state.lastClickEvent = e.originalEvent || null;
    lookup(e.latlng);
  }

  function lookup(latlng) {
    var seq = ++state.lookupSeq;
    var lon = round7(latlng.lng), lat = round7(latlng.lat);
    window.gridmapLookup = { lat: lat, lon: lon, state: 'pending', response: null };
    setSelectionState('pending');
    var q = '/api/v1/lookup?lon=' + encodeURIComponent(lon) + '&lat=' + encodeURIComponent(lat);
    fetchJSON(q).then(function (res) {
      if (seq !== state.lookupSeq) { return; }
      window.gridmapLookup = { lat: lat, lon: lon, state: 'done', response: res };
      if (res.version) { setVersion(res.version); }
      renderSelection(lon, lat, res.chain || []);
    }, function (err) {
      if (seq !== state.lookupSeq) { return; }
      window.gridmapLookup = { lat: lat, lon: lon, state: 'error', response: null };
      renderLookupError(lon, lat, err);
    });
  }

  function renderSelection(lon, lat, chain) {
    var sec = document.getElementById('selection');
    clear(sec);
    sec.appendChild(el('h2', null, '选中位置'));
    sec.appendChild(el('p', { class: 'coords' }, '经度 ' + lon + '，纬度 ' + lat));
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
    var code = el('code', { id: 'selected-code', 'data-layer': f.layer }, f.code);
    finest.appendChild(code);
    var dl = el('dl');
    dl.appendChild(el('dt', null, '层级'));
    dl.appendChild(el('dd', { id: 'selected-layer' }, f.layer));
    dl.appendChild(el('dt', null, '户数'));
    dl.appendChild(el('dd', { id: 'selected-households' }, show(props.households)));
    dl.appendChild(el('dt', null, '网格类型'));
    dl.appendChild(el('dd', { id: 'selected-grid-type' }, show(props.grid_type)));
    finest.appendChild(dl);
    sec.appendChild(finest);

    sec.appendChild(el('h2', null, '所属层级（由细到粗）'));
    var ol = el('ol', { id: 'chain' });
    chain.forEach(function (c) {
      var li = el('li', { 'data-layer': c.layer, 'data-code': c.code });
      li.appendChild(el('span', { class: 'layer' }, c.layer));
      li.appendChild(el('span', { class: 'name' }, c.name || '（无名称）'));
      li.appendChild(el('code', null, c.code));
      ol.appendChild(li);
    });
    sec.appendChild(ol);
    state.chain = chain;
    updateHighlight();
  }

  function renderLookupError(lon, lat, err) {
    var sec = document.getElementById('selection');
    clear(sec);
    setSelectionState('error');
    sec.appendChild(el('h2', null, '选中位置'));
    sec.appendChild(el('p', { class: 'coords' }, '经度 ' + lon + '，纬度 ' + lat));
    sec.appendChild(el('p', { class: 'status error' }, '查询失败：' + err.message));
  }

  function setSelectionState(s) {
    document.getElementById('selection').setAttribute('data-state', s);
  }

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
      var id = 'layer-toggle-' + i;
      var box = el('input', { type: 'checkbox', id: id });
      box.checked = !state.hidden[l.id];
      box.addEventListener('change', function () {
        if (box.checked) { delete state.hidden[l.id]; } else { state.hidden[l.id] = true; }
        redraw();
      });
      li.appendChild(box);
      var swatch = el('span', { class: 'swatch' });
      var st = layerStyle(i, Math.max(zoom, l.minzoom));
      swatch.style.borderTopColor = pal.lines[Math.min(i, pal.lines.length - 1)];
      swatch.style.borderTopWidth = Math.max(1, Math.round(st.weight || 1)) + 'px';
      li.appendChild(swatch);
      li.appendChild(el('label', { for: id }, l.id));
      li.appendChild(el('span', { class: 'zoom' }, 'z' + l.minzoom + '+'));
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
    renderLayerList();
  }

  function initTheme() {
    var saved = null;
    try { saved = window.localStorage.getItem(THEME_KEY); } catch (e) { saved = null; }
    setTheme(saved === 'dark' ? 'dark' : 'light');
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

  function setVersion(v) { document.getElementById('version').textContent = String(v); }

  function setStatus(msg, isError) {
    var s = document.getElementById('status');
    s.textContent = msg;
    s.className = 'status' + (isError ? ' error' : '');
    s.hidden = !msg;
  }

  // fetchJSON gets url as JSON; the data version the server names in its
  // X-Gridmap-Version header is shown on the way.
  function fetchJSON(url) {
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) {
      if (!r.ok) {
        return r.text().then(function (body) {
          throw new Error('HTTP ' + r.status + (body ? ': ' + body.slice(0, 200) : ''));
        });
      }
      var v = r.headers.get('X-Gridmap-Version');
      if (v) { setVersion(v); }
      return r.json();
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
  function tileKey(c) { return c ? c.z + '/' + c.x + '/' + c.y : ''; }

  // patchVectorGrid adapts Leaflet.VectorGrid 1.3.0 to Leaflet 1.9:
  //  - Leaflet 1.8 removed L.DomEvent.fakeStop, which VectorGrid's canvas tile
  //    calls when a click hits a feature ("fakeStop is not a function"). The
  //    map handles the click itself, so the stand-in only marks the event.
  //  - a canvas tile that was unloaded has no _map; a late click on it is dropped.
  //  - options.layerOrder draws the layers of a tile finest first, so the
  //    thick lines of coarse layers stay on top of the thin fine ones.
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
        var order = this.options.layerOrder;
        return getTile.call(this, coords, tileBounds).then(function (vt) {
          if (!order || !vt || !vt.layers) { return vt; }
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
