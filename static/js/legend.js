// The legend of the metric colours (#legend in the incidents panel): each
// class's colour and range, and the neutral fill of grids without incidents.
import { el, clear } from './dom.js';
import { METRICS, colourOf } from './classes.js';
import { LAYER_NAMES } from './names.js';

// renderLegend draws the legend of m ({level, kind, breaks}), or the error
// msg when m is null.
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
    var low = i === 0 ? null : m.breaks[i - 1];
    ul.appendChild(row(colourOf(def.palette, i, k), range(def, low, b), i));
  });
  ul.appendChild(row(null, '无事件', 'none'));
  box.appendChild(ul);
}

// range describes the class (low, high]: the first class from 0.
function range(def, low, high) {
  if (low === null) { return (def.palette === 'rate' ? '≤ ' : '0 – ') + def.format(high); }
  if (def.format(low) === def.format(high)) { return def.format(high); }
  if (def.palette === 'rate') { return '> ' + def.format(low) + ' – ' + def.format(high); }
  return def.format(Math.floor(low) + 1) + ' – ' + def.format(high);
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
