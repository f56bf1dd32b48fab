// Formatting and number helpers shared by the page's modules.

// show is v as panel text, or an en dash when it is missing.
export function show(v) { return v === undefined || v === null || v === '' ? '–' : String(v); }

// numberOr is v when it is a finite number, else d.
export function numberOr(v, d) { return typeof v === 'number' && isFinite(v) ? v : d; }

// round1 rounds to one decimal (line widths).
export function round1(x) { return Math.round(x * 10) / 10; }

// round7 rounds degrees to 1e-7 (about 1 cm), the precision of a clicked point.
export function round7(x) { return Math.round(x * 1e7) / 1e7; }

// fixed writes degrees with at most six decimals and no trailing zeros.
export function fixed(x) { return Number(x).toFixed(6).replace(/\.?0+$/, ''); }

// tileKey names tile coords {x, y, z} as "x:y:z", the key of Leaflet's grid layers.
export function tileKey(c) { return c ? c.x + ':' + c.y + ':' + c.z : ''; }

// escapeHTML returns text with the characters HTML gives a meaning to
// escaped, for the places (Leaflet's attribution) that take HTML.
export function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
  });
}

// clock writes an RFC 3339 time as local month-day hour:minute (the date
// left out for today), or an en dash.
export function clock(t) {
  if (!t) { return '–'; }
  var d = new Date(t);
  if (isNaN(d.getTime())) { return String(t); }
  var hm = pad2(d.getHours()) + ':' + pad2(d.getMinutes());
  var now = new Date();
  if (d.toDateString() === now.toDateString()) { return hm; }
  return (d.getMonth() + 1) + '-' + pad2(d.getDate()) + ' ' + hm;
}

// duration writes seconds as hours (or minutes under an hour), or an en dash.
export function duration(s) {
  if (!s) { return '–'; }
  if (s < 3600) { return Math.round(s / 60) + ' 分钟'; }
  return (Math.round(s / 360) / 10) + ' 小时';
}

function pad2(n) { return (n < 10 ? '0' : '') + n; }
