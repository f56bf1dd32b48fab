// The marker of typed coordinates (window.gridmapMarker).
import { map } from './map.js';
import { state } from './state.js';

// setMarker puts the marker at latlng ([lat, lon], WGS84), or removes it for null.
export function setMarker(latlng) {
  if (state.marker) { map.removeLayer(state.marker); state.marker = null; }
  window.gridmapMarker = latlng;
  if (!latlng) { return; }
  var s = Math.round(34 * state.scale);
  state.marker = L.marker(latlng, {
    icon: L.divIcon({
      className: 'coord-marker',
      html: '<span class="pin"></span><span class="dot"></span>',
      iconSize: [s, s], iconAnchor: [s / 2, s]
    }),
    interactive: false,
    keyboard: false
  }).addTo(map);
}
