// Package export writes a version of the grid data out for use elsewhere:
// a PMTiles v3 archive of its vector tiles (PMTiles), for a wall or a map
// without a server, and GeoJSON, one FeatureCollection per layer (GeoJSON,
// LayerGeoJSON), for GIS tools and for importing again.
//
// It knows nothing of HTTP or of the store: the caller loads the version and
// hands over its geo.Dataset, or a tiles.Source made of it. Files are
// written beside their final path and renamed into place when complete, so
// a reader never sees half a file. Coordinates are WGS84/CGCS2000 (lon, lat)
// degrees, as the data holds them.
package export
