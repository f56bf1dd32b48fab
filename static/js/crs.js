// The coordinate systems a typed point may be given in: the options of
// #coord-crs and their short names. GET /api/v1/config lists the server's
// in its member coordinate_systems ([{id, label}], ids as the lookup's ?crs=
// takes them, in display order); without it the options of index.html stay.
import { el } from './dom.js';

// names are the short names of the coordinate systems by id.
var names = { wgs84: 'WGS84', gcj02: 'GCJ-02', bd09: 'BD-09' };

// crsName is the short name of coordinate system id: its label up to the
// first parenthesis (GCJ-02（高德/腾讯） → GCJ-02), or the id itself.
export function crsName(id) {
  return names[id] || id;
}

// useCoordinateSystems makes the options of #coord-crs the systems listed
// (the config's coordinate_systems), keeping the choice when it is listed.
// Anything but a non-empty list of {id, label} leaves the options as they are.
export function useCoordinateSystems(list) {
  var systems = Array.isArray(list) ? list.filter(function (s) {
    return s && typeof s.id === 'string' && s.id !== '';
  }) : [];
  if (!systems.length) { return; }
  var select = document.getElementById('coord-crs');
  var chosen = select.value;
  var options = document.createDocumentFragment();
  names = {};
  systems.forEach(function (s) {
    var label = typeof s.label === 'string' && s.label !== '' ? s.label : s.id;
    options.appendChild(el('option', { value: s.id }, label));
    names[s.id] = shortName(label);
  });
  select.replaceChildren(options);
  if (names[chosen] !== undefined) { select.value = chosen; }
}

function shortName(label) {
  return label.split(/[（(]/)[0].trim() || label;
}
