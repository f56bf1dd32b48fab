// The legend of the metric colours (#legend in the incidents panel): each
// class's colour and range, and the neutral fill of grids without incidents.
import { el, clear } from './dom.js';
import { METRICS, colourOf } from './classes.js';
import { LAYER_NAMES } from './names.js';

// renderLegend draws the legend of m ({level, kind, breaks, min}), or the
// error msg when m is null.
export function renderLegend(m, msg) {
  var box = legendBox();
  clear(box);
  if (!m) {
    box.appendChild(el('p', { class: 'status error' }, '无法读取事件统计：' + msg));
    return;
  }
  var def = METRICS[m.kind];
  box.appendChild(el('h3', null, def.name + ' · ' + (LAYER_NAMES[m.level] || m.level)));
  var ul = el('ul');
  var k = m.breaks.length;
  m.breaks.forEach(function (b, i) {
    var text = i === 0 ? span(def, m.min, b) : above(def, m.breaks[i - 1], b);
    ul.appendChild(row(colourOf(def.palette, i, k), text, i));
  });
  ul.appendChild(row(null, '无事件', 'none'));
  box.appendChild(ul);
}

// span describes the class [low, high].
function span(def, low, high) {
  var a = def.format(low), b = def.format(high);
  return a === b ? b : a + ' – ' + b;
}

// above describes the class (low, high]: counts are whole numbers, so
// it starts at low + 1.
function above(def, low, high) {
  if (def.palette === 'rate') { return '> ' + def.format(low) + ' – ' + def.format(high); }
  return span(def, Math.floor(low) + 1, high);
}

function row(colour, text, cls) {
  var li = el('li', { 'data-class': String(cls) });
  var sw = el('span', { class: 'legend-swatch' + (colour ? '' : ' none') });
  if (colour) { sw.style.background = colour; }
  li.appendChild(sw);
  li.appendChild(el('span', null, text));
  return li;
}

// legendBox is the legend's element.
function legendBox() { return document.getElementById('legend'); }
