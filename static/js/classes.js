// Class breaks and colours of the incident metrics the grids are coloured
// by: quantile breaks computed from the values drawn, colour-blind-safe
// sequential palettes (ColorBrewer YlOrRd for counts, where more is worse,
// and YlGnBu for the closure rate, where more is better).

// METRICS are the metrics a grid can be coloured by: value(f) reads it
// from a grid's figures ({total, open, closed, overdue, rejected}).
export var METRICS = {
  total: { name: '事件数', palette: 'counts', value: function (f) { return f.total; }, format: integer },
  closure: { name: '办结率', palette: 'rate', value: closureRate, format: percent },
  overdue: { name: '超期数', palette: 'counts', value: function (f) { return f.overdue; }, format: integer }
};

// PALETTES hold five classes each, light to dark (ColorBrewer 2.0, both
// marked colour-blind safe).
export var PALETTES = {
  counts: ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'],
  rate: ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494']
};

// closureRate is closed / (total − rejected) (办结率), 0 when that is 0.
export function closureRate(f) {
  var n = f.total - (f.rejected || 0);
  return n > 0 ? f.closed / n : 0;
}

// breaks are the upper bounds of up to n classes of values (quantiles,
// duplicates dropped), ascending; the last is the largest value. No values:
// no breaks.
export function breaks(values, n) {
  var v = values.filter(function (x) { return typeof x === 'number' && isFinite(x); });
  if (!v.length) { return []; }
  v.sort(function (a, b) { return a - b; });
  var out = [];
  for (var i = 1; i <= n; i++) {
    var b = v[Math.min(v.length - 1, Math.ceil(i * v.length / n) - 1)];
    if (!out.length || b > out[out.length - 1]) { out.push(b); }
  }
  return out;
}

// classOf is the index of the class of x among ascending breaks bs: the
// first whose bound is at least x (the last when x is above them all).
export function classOf(x, bs) {
  for (var i = 0; i < bs.length; i++) {
    if (x <= bs[i]) { return i; }
  }
  return bs.length - 1;
}

// colourOf is the colour of class c of k classes in palette pal, spread
// over the palette so that two classes are its ends.
export function colourOf(pal, c, k) {
  var colours = PALETTES[pal];
  if (k <= 1) { return colours[colours.length - 1]; }
  return colours[Math.round(c * (colours.length - 1) / (k - 1))];
}

function integer(x) { return String(Math.round(x)); }

function percent(x) { return (Math.round(x * 1000) / 10) + '%'; }
