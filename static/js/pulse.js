// New incidents marked on the map as they arrive: a pulsing dot at the
// incident's point (WGS84) that fades out and is removed
// (window.gridmapPulses: the number on the map).
import { map } from './map.js';
import { state } from './state.js';
import { openIncident } from './detail.js';

// PULSE_MS is how long a new incident stays marked; MAX_PULSES bounds the
// markers on the map when incidents arrive faster than they fade.
var PULSE_MS = 60000;
var MAX_PULSES = 200;

// PER_SECOND bounds the markers added a second: under a load of thousands
// of incidents a second the map shows a sample of them, not a blur.
var PER_SECOND = 20;

var pulses = [];
var second = 0, added = 0;

window.gridmapPulses = 0;

// pulse marks incident inc ({id, lon, lat, overdue}) at its point.
export function pulse(inc) {
  if (typeof inc.lon !== 'number' || typeof inc.lat !== 'number') { return; }
  var now = Math.floor(Date.now() / 1000);
  if (now !== second) { second = now; added = 0; }
  if (++added > PER_SECOND) { return; }
  var s = Math.round(22 * state.scale);
  var m = L.marker([inc.lat, inc.lon], {
    icon: L.divIcon({
      className: 'incident-pulse',
      html: '<span class="ring"></span><span class="core"></span>',
      iconSize: [s, s], iconAnchor: [s / 2, s / 2]
    }),
    keyboard: false,
    title: '#' + inc.id + ' ' + (inc.category || '')
  }).addTo(map);
  m.on('click', function () { openIncident(inc.id); });
  var el = m.getElement();
  if (el) { el.setAttribute('data-id', String(inc.id)); }
  pulses.push(m);
  if (pulses.length > MAX_PULSES) { map.removeLayer(pulses.shift()); }
  window.gridmapPulses = pulses.length;
  setTimeout(function () {
    var i = pulses.indexOf(m);
    if (i >= 0) { pulses.splice(i, 1); map.removeLayer(m); }
    window.gridmapPulses = pulses.length;
  }, PULSE_MS);
}
