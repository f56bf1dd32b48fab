// Typed coordinates: the #coord-form looks up a point typed in the chosen
// coordinate system and marks it on the map.
import { map } from './map.js';
import { state } from './state.js';
import { setStatus } from './panel.js';
import { setMarker } from './marker.js';
import { closeSuggestions } from './search.js';
import { lookup } from './lookup.js';

// initCoords wires the coordinate form; "120.28, 31.90" (lon, lat) pasted
// into one field fills both.
export function initCoords() {
  var form = document.getElementById('coord-form');
  var lonIn = document.getElementById('coord-lon');
  var latIn = document.getElementById('coord-lat');
  lonIn.addEventListener('input', function () {
    var m = /^\s*(-?\d+(?:\.\d+)?)\s*[,，\s]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(lonIn.value);
    if (m) { lonIn.value = m[1]; latIn.value = m[2]; }
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var lon = Number(lonIn.value.trim()), lat = Number(latIn.value.trim());
    var crs = document.getElementById('coord-crs').value;
    if (lonIn.value.trim() === '' || latIn.value.trim() === '' || !isFinite(lon) || !isFinite(lat)) {
      setStatus('请输入经度和纬度（十进制度数）。', true);
      return;
    }
    setStatus('');
    closeSuggestions();
    locate(lon, lat, crs);
  });
}

// locate selects the point (lon, lat) in crs, marks it at its WGS84
// position and brings it into view.
function locate(lon, lat, crs) {
  state.selection = { kind: 'coords', lon: lon, lat: lat, crs: crs };
  lookup(lon, lat, crs, null).then(function (res) {
    if (!res) { return; }
    var p = res.wgs84 || { lon: lon, lat: lat };
    setMarker([p.lat, p.lon]);
    map.setView([p.lat, p.lon], Math.max(map.getZoom(), 16));
  });
}
