// gridmap labels: grid names drawn on one canvas above the tiles, so that a
// name is never cut at a tile edge and two names never overlap.
//
// Label candidates come from each decoded vector tile (extract):
//  - from the tiles' "labels" layer when it exists: one point per grid, inside
//    it, with properties name, code, layer (the grid's polygon in the same
//    tile, when there, says how much room the name has);
//  - else from the polygons themselves: the middle of the widest stretch of
//    the feature's largest ring along a horizontal line through it, clipped to
//    the tile; the width of that stretch also says whether the name fits.
//
// Layer draws the candidates of the tiles on screen, coarse layers first, each
// only where it fits and overlaps nothing drawn before (window.gridmapLabelsDrawn:
// how many it drew last).

var TILE = 256;

// LABEL_LAYER is the tile layer of label points, one per grid.
export var LABEL_LAYER = 'labels';

// extract returns the label candidates of the decoded tile vt at coords,
// for the polygon layers named in layerIds, and removes the labels layer
// from vt so that it is not drawn as points.
export function extract(vt, coords, layerIds) {
  var out = [];
  if (!vt || !vt.layers) { return out; }
  var lab = vt.layers[LABEL_LAYER];
  if (lab) { delete vt.layers[LABEL_LAYER]; }
  var widths = {}; // layer + code -> room in the grid's polygon in this tile, CSS px
  layerIds.forEach(function (id) {
    var l = vt.layers[id];
    if (!l || !l.features) { return; }
    l.features.forEach(function (f) {
      var p = f.properties || {};
      if (f.type !== 3 || p.name === undefined || p.name === '') { return; }
      var ext = f.extent || l.extent || 4096;
      var c = ringLabel(f.geometry, ext);
      if (!c) { return; }
      var w = c.w / ext * TILE;
      if (lab) {
        widths[id + '\u0000' + p.code] = w;
      } else {
        out.push(candidate(coords, c.x / ext, c.y / ext, id, p.code, p.name, w));
      }
    });
  });
  if (!lab) { return out; }
  (lab.features || []).forEach(function (f) {
    var p = f.properties || {};
    var pt = f.geometry && f.geometry[0] && f.geometry[0][0];
    if (!pt || p.name === undefined || p.name === '') { return; }
    var ext = f.extent || lab.extent || 4096;
    var layer = String(p.layer || '');
    var w = widths[layer + '\u0000' + p.code];
    out.push(candidate(coords, pt.x / ext, pt.y / ext, layer, p.code, p.name, w === undefined ? Infinity : w));
  });
  return out;
}

// candidate is a label at (fx, fy), fractions of tile coords; width is the
// room for it in CSS pixels at zoom coords.z (Infinity when unknown).
function candidate(coords, fx, fy, layer, code, name, width) {
  var p = L.point((coords.x + fx) * TILE, (coords.y + fy) * TILE);
  return {
    layer: layer,
    code: String(code === undefined || code === null ? name : code),
    name: String(name),
    latlng: L.CRS.EPSG3857.pointToLatLng(p, coords.z),
    z: coords.z,
    width: width
  };
}

// ringLabel picks the ring of largest area among rings (tile units) and
// returns the middle of its widest inside stretch on the horizontal line
// through the middle of its part inside the tile, with the stretch width.
function ringLabel(rings, ext) {
  var best = null, bestArea = 0;
  for (var i = 0; i < rings.length; i++) {
    var a = Math.abs(area(rings[i]));
    if (a > bestArea) { bestArea = a; best = rings[i]; }
  }
  if (!best) { return null; }
  var minY = Infinity, maxY = -Infinity;
  for (var j = 0; j < best.length; j++) {
    if (best[j].y < minY) { minY = best[j].y; }
    if (best[j].y > maxY) { maxY = best[j].y; }
  }
  minY = Math.max(minY, 0);
  maxY = Math.min(maxY, ext);
  if (maxY <= minY) { return null; }
  var y = (minY + maxY) / 2;
  var xs = [];
  for (var k = 0; k + 1 < best.length; k++) {
    var p = best[k], q = best[k + 1];
    if ((p.y <= y) !== (q.y <= y)) { xs.push(p.x + (y - p.y) / (q.y - p.y) * (q.x - p.x)); }
  }
  var first = best[0], last = best[best.length - 1];
  if ((first.x !== last.x || first.y !== last.y) && (last.y <= y) !== (first.y <= y)) {
    xs.push(last.x + (y - last.y) / (first.y - last.y) * (first.x - last.x));
  }
  xs.sort(function (m, n) { return m - n; });
  var w = 0, x = 0;
  for (var s = 0; s + 1 < xs.length; s += 2) {
    var x0 = Math.max(xs[s], 0), x1 = Math.min(xs[s + 1], ext);
    if (x1 - x0 > w) { w = x1 - x0; x = (x0 + x1) / 2; }
  }
  return w > 0 ? { x: x, y: y, w: w } : null;
}

function area(r) {
  var s = 0;
  for (var i = 0, n = r.length; i < n; i++) {
    var p = r[i], q = r[(i + 1) % n];
    s += p.x * q.y - q.x * p.y;
  }
  return s / 2;
}

// lines splits a long name before its last "第" (文定社区第01网格第1微网格 →
// 文定社区第01网格 / 第1微网格), so labels stay narrow.
function lines(name) {
  var i = name.lastIndexOf('第');
  if (name.length > 7 && i > 1) { return [name.slice(0, i), name.slice(i)]; }
  return [name];
}

// Layer is the label canvas. options.config() returns what to draw now:
// {layers: {id: {rank, size, color, halo}}, scale}; options.keys() the
// keys ("x:y:z") of the tiles on screen.
export var Layer = L.Layer.extend({
  initialize: function (options) {
    this._config = options.config;
    this._keys = options.keys;
    this._store = {};
    this._frame = null;
    this.drawn = 0;
  },

  onAdd: function (map) {
    var pane = map.getPane('gridmapLabels') || map.createPane('gridmapLabels');
    pane.style.zIndex = 450;
    pane.style.pointerEvents = 'none';
    this._canvas = L.DomUtil.create('canvas', 'gridmap-labels leaflet-zoom-hide', pane);
    map.on('moveend zoomend resize', this.schedule, this);
    this.schedule();
  },

  onRemove: function (map) {
    map.off('moveend zoomend resize', this.schedule, this);
    L.DomUtil.remove(this._canvas);
    if (this._frame) { L.Util.cancelAnimFrame(this._frame); this._frame = null; }
  },

  set: function (key, labels) { this._store[key] = labels; this.schedule(); },
  remove: function (key) { delete this._store[key]; },
  clear: function () { this._store = {}; this.schedule(); },

  schedule: function () {
    if (!this._map || this._frame) { return; }
    this._frame = L.Util.requestAnimFrame(this._draw, this);
  },

  _draw: function () {
    this._frame = null;
    var map = this._map;
    if (!map) { return; }
    var size = map.getSize(), dpr = window.devicePixelRatio || 1;
    var canvas = this._canvas;
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    if (canvas.width !== Math.round(size.x * dpr) || canvas.height !== Math.round(size.y * dpr)) {
      canvas.width = Math.round(size.x * dpr);
      canvas.height = Math.round(size.y * dpr);
      canvas.style.width = size.x + 'px';
      canvas.style.height = size.y + 'px';
    }
    var ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.x, size.y);

    var cfg = this._config();
    var zoom = map.getZoom();
    var seen = {}, list = [];
    this._keys().forEach(function (key) {
      (this._store[key] || []).forEach(function (c) {
        var st = cfg.layers[c.layer];
        if (!st) { return; }
        var id = c.layer + '\u0000' + c.code;
        var prev = seen[id];
        if (prev === undefined) {
          seen[id] = list.length;
          list.push(c);
        } else if (c.width > list[prev].width) {
          list[prev] = c;
        }
      });
    }, this);
    list.sort(function (a, b) {
      var ra = cfg.layers[a.layer].rank, rb = cfg.layers[b.layer].rank;
      if (ra !== rb) { return ra - rb; }
      return a.width === b.width ? 0 : (b.width > a.width ? 1 : -1);
    });

    var placed = [], drawn = 0, pad = 3 * cfg.scale;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.lineJoin = 'round';
    for (var i = 0; i < list.length; i++) {
      var c = list[i], st = cfg.layers[c.layer];
      var pt = map.latLngToContainerPoint(c.latlng);
      if (pt.x < -50 || pt.y < -50 || pt.x > size.x + 50 || pt.y > size.y + 50) { continue; }
      ctx.font = st.weight + ' ' + st.size + 'px ' + cfg.font;
      var ls = lines(c.name);
      var w = 0;
      for (var k = 0; k < ls.length; k++) { w = Math.max(w, ctx.measureText(ls[k]).width); }
      var lh = st.size * 1.15, h = lh * ls.length;
      if (c.width !== Infinity && w > c.width * Math.pow(2, zoom - c.z) * 0.95) { continue; }
      var box = [pt.x - w / 2 - pad, pt.y - h / 2 - pad, pt.x + w / 2 + pad, pt.y + h / 2 + pad];
      if (collides(box, placed)) { continue; }
      placed.push(box);
      ctx.lineWidth = Math.max(2, st.size / 4);
      ctx.strokeStyle = st.halo;
      ctx.fillStyle = st.color;
      for (k = 0; k < ls.length; k++) {
        var y = pt.y - h / 2 + lh * (k + 0.5);
        ctx.strokeText(ls[k], pt.x, y);
        ctx.fillText(ls[k], pt.x, y);
      }
      drawn++;
    }
    this.drawn = drawn;
    window.gridmapLabelsDrawn = drawn;
  }
});

function collides(b, placed) {
  for (var i = 0; i < placed.length; i++) {
    var p = placed[i];
    if (b[0] < p[2] && b[2] > p[0] && b[1] < p[3] && b[3] > p[1]) { return true; }
  }
  return false;
}
