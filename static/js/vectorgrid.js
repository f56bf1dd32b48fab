// Adapting the vendored Leaflet.VectorGrid 1.3.0 to Leaflet 1.9, without
// editing vendor files.

// patchVectorGrid changes the global L in place:
//  - Leaflet 1.8 removed L.DomEvent.fakeStop, which VectorGrid's canvas tile
//    calls when a click hits a feature ("fakeStop is not a function"). The
//    map handles the click itself, so the stand-in only marks the event.
//  - a canvas tile that was unloaded has no _map; a late click on it is dropped.
//  - options.layerOrder draws the layers of a tile finest first, so the
//    thick lines of coarse layers stay on top of the thin fine ones.
//  - options.onTileData(coords, vt) sees each decoded tile before it is
//    drawn (the labels are taken from it there).
//  - restyle() draws every feature on screen again in its layer's style
//    (the metric colours changed), leaving features with a style of their
//    own (the highlight) as they are; featureStyle(id) is the style a
//    feature is drawn with, for tests.
export function patchVectorGrid() {
  L.VectorGrid.include({ restyle: restyle, featureStyle: featureStyle });
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
        if (opts.layerOrder) { vt.layers = ordered(vt.layers, opts.layerOrder); }
        return vt;
      });
    }
  });
}

// ordered is layers (by id) with the ids of order first, last to first,
// then the others.
function ordered(layers, order) {
  var sorted = {};
  for (var i = order.length - 1; i >= 0; i--) {
    if (Object.prototype.hasOwnProperty.call(layers, order[i])) { sorted[order[i]] = layers[order[i]]; }
  }
  Object.keys(layers).forEach(function (k) {
    if (!Object.prototype.hasOwnProperty.call(sorted, k)) { sorted[k] = layers[k]; }
  });
  return sorted;
}

// restyle, a method of L.VectorGrid: see patchVectorGrid.
function restyle() {
  var styles = this.options.vectorTileLayerStyles;
  for (var key in this._vectorTiles) {
    var tile = this._vectorTiles[key], feats = tile._features || {};
    for (var id in feats) {
      if (this._overriddenStyles[id]) { continue; }
      var s = styles[feats[id].layerName];
      if (s) { this._updateStyles(feats[id].feature, tile, s); }
    }
  }
  return this;
}

// featureStyle, a method of L.VectorGrid: the options a feature id is
// drawn with on the first tile that has it, or null.
function featureStyle(id) {
  for (var key in this._vectorTiles) {
    var f = (this._vectorTiles[key]._features || {})[id];
    if (f) { return f.feature.options; }
  }
  return null;
}
