// The Leaflet map of the page, made when this module is first imported (the
// classic scripts before the modules have defined the global L, and module
// scripts run once the document is parsed, so #map exists).

// map is the L.Map in #map, in Web Mercator.
export var map = L.map('map', {
  crs: L.CRS.EPSG3857,
  zoomControl: false, // bottom right: the incidents panel is at the top left
  attributionControl: false,
  fadeAnimation: false, // tiles appear at once: steady wall displays, steady screenshots
  preferCanvas: true,
  minZoom: 3,
  maxZoom: 20,
  tapTolerance: 20
});
L.control.zoom({ position: 'bottomright' }).addTo(map);
L.control.attribution({ position: 'bottomright', prefix: 'Leaflet' }).addTo(map);
L.control.scale({ imperial: false, position: 'bottomleft', maxWidth: 200 }).addTo(map);
