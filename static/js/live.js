// Live updates: the page follows the server's version (Server-Sent Events
// from /api/v1/events, or /healthz every 10 s while they fail) and redraws
// the tiles of a new version in place (window.gridmapLive: "sse" or "poll").
import { map } from './map.js';
import { state, layerIds } from './state.js';
import { fetchJSON, withKey, holdStream } from './api.js';
import { useTileJSON, buildGrid, tileURL, tileBounds } from './grid.js';
import { highlight } from './highlight.js';
import { renderLayerList } from './layers.js';
import { refreshSelection } from './lookup.js';
import { setStatus, setLiveMark } from './panel.js';
import { followLayers } from './incidents.js';

var POLL_MS = 10000;
var NOTICE_MS = 8000;

// subscribe follows the server's version.
export function subscribe() {
  if (!window.EventSource) { startPolling(); return; }
  holdStream(openEvents);
}

function openEvents() {
  var es = new EventSource(withKey('/api/v1/events'));
  es.addEventListener('version', function (e) { onVersion(e.data); });
  es.addEventListener('open', function () {
    stopPolling();
    setLive('sse');
  });
  es.addEventListener('error', function () {
    // The browser reconnects by itself; meanwhile poll.
    startPolling();
  });
  return es;
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
  setLiveMark('live', how === 'sse', how === 'sse' ? '● 实时' : '○ 轮询');
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
    showVersion(r.body, nv);
  }, function (err) {
    state.reloading = null;
    setStatus('无法读取新版本 ' + v + '：' + err.message, true);
  });
}

// showVersion draws version v of TileJSON tj: the same grid layer with new
// tile URLs when the layers are the same, else a new grid layer.
function showVersion(tj, v) {
  var oldIds = layerIds().join(',');
  useTileJSON(tj, v);
  highlight(null);
  if (state.labels) { state.labels.clear(); }
  if (oldIds !== layerIds().join(',')) {
    map.removeLayer(state.grid);
    buildGrid();
  } else {
    var url = tileURL(tj, v);
    window.gridmapTilesURL = url;
    state.grid.options.bounds = tileBounds(tj);
    state.grid.setUrl(url);
  }
  renderLayerList();
  followLayers();
  refreshSelection();
  setStatus('已切换到数据版本 ' + v, false, true);
  setTimeout(function () {
    var s = document.getElementById('status');
    if (s.className.indexOf('notice') >= 0) { setStatus(''); }
  }, NOTICE_MS);
}
