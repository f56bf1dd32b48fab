// The panel's selection: the grid found at a point and the chain of grids
// that hold it, finest first (#selected-code, #chain li[data-layer][data-code]).
import { state } from './state.js';
import { el, clear } from './dom.js';
import { fixed, show } from './format.js';
import { levelName, gridType } from './names.js';
import { crsName } from './crs.js';
import { fetchJSON } from './api.js';
import { updateHighlight } from './highlight.js';
import { flyToResult } from './view.js';

// renderSelection shows the point (lon, lat) typed or clicked in crs, with
// wgs its WGS84 position when converted, and the chain of grids holding it
// (empty: the point is outside every grid).
export function renderSelection(lon, lat, crs, wgs, chain) {
  var sec = document.getElementById('selection');
  clear(sec);
  sec.appendChild(el('h2', null, '选中网格'));
  sec.appendChild(el('p', { class: 'coords', id: 'selected-coords' }, where(lon, lat, crs, wgs)));
  if (!chain.length) {
    setSelectionState('outside');
    sec.appendChild(el('p', { class: 'hint' }, '该点不在任何网格内。'));
    state.chain = [];
    updateHighlight();
    return;
  }
  setSelectionState('found');
  sec.appendChild(finest(chain[0]));
  sec.appendChild(el('h2', null, '所属层级（由细到粗）'));
  sec.appendChild(chainList(chain));
  state.chain = chain;
  updateHighlight();
}

// where describes the point (lon, lat) in crs and its WGS84 position wgs.
function where(lon, lat, crs, wgs) {
  var s = '经度 ' + fixed(lon) + '，纬度 ' + fixed(lat);
  if (crs && crs !== 'wgs84') {
    s += '（' + crsName(crs) + '）';
    if (wgs) { s += ' → WGS84 ' + fixed(wgs.lon) + ', ' + fixed(wgs.lat); }
  }
  return s;
}

// finest shows the finest grid f of a chain with its properties.
function finest(f) {
  var props = f.properties || {};
  var div = el('div', { class: 'finest' });
  div.appendChild(el('span', { class: 'name', id: 'selected-name' }, f.name || '（无名称）'));
  div.appendChild(el('code', { id: 'selected-code', 'data-layer': f.layer }, f.code));
  var dl = el('dl');
  dl.appendChild(el('dt', null, '层级'));
  dl.appendChild(el('dd', { id: 'selected-layer' }, levelName(f.level, f.layer) + ' · ' + f.layer));
  dl.appendChild(el('dt', null, '户数'));
  dl.appendChild(el('dd', { id: 'selected-households' }, show(props.households)));
  dl.appendChild(el('dt', null, '网格类型'));
  dl.appendChild(el('dd', { id: 'selected-grid-type' }, gridType(props.grid_type)));
  div.appendChild(dl);
  return div;
}

// chainList lists the chain, finest first; a click on a grid flies to it.
function chainList(chain) {
  var ol = el('ol', { id: 'chain' });
  chain.forEach(function (c) {
    var li = el('li', { 'data-layer': c.layer, 'data-code': c.code, title: '显示 ' + (c.name || c.code) });
    li.appendChild(el('span', { class: 'layer' }, levelName(c.level, c.layer)));
    li.appendChild(el('span', { class: 'name' }, c.name || '（无名称）'));
    li.appendChild(el('code', null, c.code));
    li.addEventListener('click', function () { showGrid(c.code, c.layer); });
    ol.appendChild(li);
  });
  return ol;
}

// showGrid flies to a grid of the chain, found by its code.
function showGrid(code, layer) {
  fetchJSON('/api/v1/search?limit=1&q=' + encodeURIComponent(code)).then(function (r) {
    var hit = (r.body.results || [])[0];
    if (hit && hit.code === code && hit.layer === layer) { flyToResult(hit); }
  }, function () { /* the chain stays as it is */ });
}

// renderLookupError shows that the lookup of (lon, lat) failed with err.
export function renderLookupError(lon, lat, err) {
  var sec = document.getElementById('selection');
  clear(sec);
  setSelectionState('error');
  sec.appendChild(el('h2', null, '选中网格'));
  sec.appendChild(el('p', { class: 'coords' }, '经度 ' + lon + '，纬度 ' + lat));
  sec.appendChild(el('p', { class: 'status error', id: 'lookup-error' }, '查询失败：' + err.message));
}

// setSelectionState sets #selection's data-state: empty, pending, found,
// outside or error.
export function setSelectionState(s) {
  document.getElementById('selection').setAttribute('data-state', s);
}
