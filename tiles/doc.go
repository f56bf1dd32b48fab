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
// no gap opens between them at any zoom (TestGapOverlapArea measures the
// area of gaps and overlaps over every tile of several zooms).
//
// Every grid has a label point, its pole of inaccessibility (label.go):
// the LabelLayer ("labels") holds one point per grid of every layer shown
// at a zoom, and a grid too small to draw at a zoom is a Point of its own
// layer there rather than dropped. Feature ids are FeatureID(layer, code),
// the same in every tile, zoom, layer and version. Properties: code, name,
// level, parent, households, grid_type and Options.ExtraProps.
//
// A partial layer (buildings, compounds: geo.Layer.Partial, or a layer
// whose grids cover under 90 % of their parents, see partialLayer) has
// streets and yards between its grids that belong to the parent layer.
// Arcs are found per layer, so those spaces are simply outside the layer:
// nothing fills or measures them as gaps. It is shown from the zoom at
// which its median grid is Options.MinPartialPixels wide (Jinjiang's
// buildings: z16), and marked "gridmap:partial" in the TileJSON. A grid of
// it is never dropped at a zoom where the layer is shown: an isolated
// building's ring is pinned at its four extreme vertices, which
// simplification keeps, and one that rounding to the tile grid still
// leaves without area is emitted as a Point at its label point with its
// id and properties (code, households…), rather than grown to a minimum
// size, which would cover the street or its neighbour.
//
// A Cache holds encoded and gzipped tiles of one Source under a byte cap
// and renders each tile once however many ask at the same time.
// Render renders a zoom range on several goroutines, in PMTiles tile id
// order, for archive writers (package export writes PMTiles with it).
package tiles
