// Package tiles makes Mapbox Vector Tiles (MVT, spec 2.1) of a geo.Dataset.
//
// A Source is built once per dataset version and is then read-only (apart
// from lazily filled per-zoom caches), so one Source serves any number of
// concurrent Tile calls. It knows nothing of HTTP.
//
// Each geo layer becomes one MVT layer of the same name. Tiles are in the
// XYZ scheme of Web Mercator (EPSG:3857; y grows southwards). Input
// coordinates are WGS84/CGCS2000 (lon, lat) degrees.
//
// Borders shared by neighbouring grids are found once per layer as arcs
// (see topology), simplified once per zoom in tile pixel space, and every
// ring is rebuilt from its arcs, so neighbours keep identical borders and
// no gap opens between them at any zoom.
package tiles
