// Package importer reads grid layers from GeoJSON files, checks them and
// returns a complete geo.Dataset, or a Report of every problem found.
//
// It knows nothing of HTTP or of the store's format: the CLI and the server
// call Import and show the Report.
//
// # Input
//
// A source file is a GeoJSON FeatureCollection (RFC 7946) or a stream of
// GeoJSON Features, one per line (newline-delimited GeoJSON). Files are read
// with a streaming decoder: the "features" array is walked token by token and
// each feature decoded alone, so a file is never held in memory as text. A
// UTF-8 byte order mark is skipped.
//
// Shapefiles (loose .shp with its .dbf/.shx/.prj/.cpg, or a .zip holding
// one), GeoPackages (.gpkg) and KML (.kml, .kmz) are converted to a
// temporary GeoJSON by GDAL's ogr2ogr (Options.OGR2OGR, found on PATH),
// reprojected to EPSG:4326 when they declare a system, and then read as
// any GeoJSON; problems name the original file, and feature #N is the N-th
// record (FID N−1 of a Shapefile). Shapefile attributes are decoded as the
// .cpg says, else as UTF-8 when the .dbf is valid UTF-8, else as GBK
// (CP936). Without ogr2ogr the file is refused with a read_error saying
// "install GDAL: apt-get install gdal-bin" (see ErrNoGDAL).
//
// Every feature must carry its code in the property named by Options.CodeProp
// (default "code"). A feature without it is rejected (code_missing) even when
// it has a GeoJSON "id": the id is an export artefact of many tools (row
// numbers, fid) and silently taking it as the grid code would give a grid a
// code nobody chose. A code given as a JSON integer (320281) is accepted as
// its decimal text; any other type is code_invalid. The parent code is read
// the same way from Options.ParentProp (default "parent"); a missing or null
// parent makes the grid a root.
//
// Coordinates are (lon, lat) degrees, WGS84/CGCS2000, unless a file says
// otherwise: Options.CRS (which overrides the rest), a GeoJSON "crs" member
// (the named form, "urn:ogc:def:crs:EPSG::4528", wherever it stands in the
// FeatureCollection) or a .prj file beside the source (ESRI or OGC WKT, as
// ArcGIS and QGIS write it); geo/crs reads all of these names (crs.Names
// lists them). GCJ-02 and BD-09 positions are converted to WGS84 with
// geo/crs (round trip within 1 cm). CGCS2000 Gauss–Krüger
// positions (EPSG:4491–4501 6° zones 13–23 and EPSG:4513–4533 3° zones
// 25–45 with the zone number in front of the easting, EPSG:4502–4512 and
// EPSG:4534–4554 without it; central meridian 6°·zone−3 or 3°·zone, scale 1,
// false easting 500 km) are converted by the inverse transverse Mercator
// projection in Krüger's series to order n⁶: exact to a few nanometres in
// the zone, within 1 mm of PROJ, and a file written to the millimetre comes
// back within 1 mm of the lon/lat it was projected from. An easting whose
// zone number is not the declared zone's is refused. CGCS2000 is taken as
// WGS84 (the datums differ by centimetres). Rings are reoriented to the model's convention
// (outer rings counter-clockwise, holes clockwise); the input is otherwise
// not altered. Geometries are Polygon or MultiPolygon only.
//
// # Checks
//
// Every Problem has a stable Kind (see the Kind constants). Syntax: json_syntax
// (with line and column; the reader stops at the first one), read_error,
// not_feature_collection, feature_type, empty. Geometry:
// geometry_type, ring_unclosed, ring_too_short, coordinate_invalid,
// projected_coordinates, latlon_swapped, invalid_geometry, hole_outside_shell.
// Attributes: code_missing, code_invalid, code_duplicate, parent_unknown,
// parent_missing, parent_layer_mismatch, unplaced. Topology, per layer and
// within each parent: overlap, gap, not_covered_by_parent,
// parent_without_children (warning). Partial layers: partial_unknown (a
// layer declared partial that the dataset does not hold), partial_root (a
// root layer declared partial). Coordinate systems: looks_gcj02 (warning),
// crs_unsupported (a declared system that cannot be converted).
//
// Whole-file heuristics are reported once per file, naming the first
// feature concerned and the count: projected_coordinates when every position
// of a feature looks like Gauss–Krüger metres (with an EPSG guess from the
// zone prefix), latlon_swapped when every position looks like [lat, lon].
// Grids of a root layer that name a parent found nowhere get one warning
// (a partial tree); in any other layer an unknown parent is an error. A
// parent grid with no children at all is a warning (a layer may cover only
// part of its parent layer); a parent with children must be tiled exactly.
// Overlays measure at most 100 failing parents per layer; the rest are
// listed in one gap problem, so a layer shifted as a whole costs seconds,
// not minutes.
//
// When positions are converted (GCJ-02, BD-09, Gauss–Krüger), each converted vertex
// within 3e-7° (a few centimetres) of a vertex of the base layers that stay
// in the dataset is snapped onto it: the conversion is exact only to about
// 1e-7°, and snapping restores the shared borders vertex for vertex.
//
// # Topology, and how it stays fast
//
// The layers of a grid map share their borders vertex for vertex. For each
// parent grid P the importer sums the boundary chains of P's children as
// signed directed segments (a segment a→b counts +1, b→a counts −1) and
// subtracts P's own boundary. Each grid is first checked to be a valid polygon
// with outer rings counter-clockwise and holes clockwise, so its winding
// number is 1 inside and 0 outside. When the sum is the empty chain, the sum
// of the children's winding numbers equals P's winding number everywhere,
// which means exactly: the children do not overlap, leave no gap in P and do
// not stick out of P. That test is a hash of the segments, linear in the
// number of vertices. Only the parents whose chain does not cancel (a defect,
// or borders that do not share vertices) fall back to the exact overlay of
// github.com/peterstace/simplefeatures, which measures and places the overlap,
// gap or overhang; candidate pairs for that come from an R-tree
// (github.com/tidwall/rtree). Root layers (no parent layer) are checked for
// overlaps pair by pair the same way.
//
// A partial layer (Options.Partial, geo.Layer.Partial: buildings or
// compounds with streets between them) need not cover its parents, so the
// chain test does not apply. Each child is tested wholly inside its parent
// exactly instead (inside.go: its vertices inside or on the parent's outer
// ring, no edge properly crossing one of the ring's, and each piece of its
// edges between the ring's vertices inside at its midpoint; the ring's
// edges bucketed by latitude so a test reads a few of them), siblings are
// paired through a per-parent R-tree, parents in parallel. Only a child
// that fails the test (or sits near a hole of its parent, or near two of
// its polygons) is measured with an overlay: at most 100 found outside are
// reported with area and place, the rest in one problem. A parent without
// children is a warning worded for such layers: a grid of streets and a
// square holds no building.
//
// # Areas
//
// Areas are in square metres, computed on the Lambert cylindrical equal-area
// projection of the sphere of authalic radius 6,371,007.2 m
// (x = R·λ·cos φ0, y = R·sin φ / cos φ0, φ0 the latitude of the data). That
// projection preserves area exactly on the sphere; the difference from the
// WGS84 ellipsoid is below 0.5 % at Chinese latitudes, which is far below
// what matters for a tolerance of a few square metres.
package importer
