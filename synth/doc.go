// Package synth makes synthetic data for benchmarks and demos: provinces,
// incidents, staff rosters and compounds.
//
// A synthetic province (Write, Dataset) is N offset copies of
// one county's nested grid layers (county → towns → villages → grids →
// microgrids), laid out on a square-ish lattice so that no two copies
// overlap, with new codes and names.
//
// Copy k (1-based) is the source moved by whole multiples of the county's
// bounding-box width and height plus a margin, in degrees: column (k-1) mod
// cols, row (k-1) / cols, with cols = ⌈√N⌉. Every code that starts with the
// source county's 6-digit prefix (320281 for Jiangyin) gets the copy's prefix
// instead, 900000+k, in both "code" and "parent", so that the copies form
// N separate trees with the same shape; names get the suffix "-k". Other
// properties are copied as they are.
//
// Vertices are moved by the same offset and rounded to 1e-7 degrees, so a
// vertex shared by two grids of the source is still shared, bit for bit, in
// every copy. Coordinates are (lon, lat), WGS84 degrees.
//
// Write streams: the source layers are held once in memory (about 20 MB for
// Jiangyin) and each output feature is encoded into a small reused buffer, so
// 100 copies (≈712k micro grids, ≈1.7 GB of GeoJSON) need no more memory than
// one.
//
// # Incidents
//
// NewIncidents draws a year (or any span) of incidents over the finest
// grids of a data set, reproducibly from a seed (incidents.go):
//   - report times follow a daily and weekly rhythm (rhythm.go: a morning
//     and an afternoon peak, few at night, weekends at about two thirds),
//     drawn as sorted uniforms through the inverse of the cumulative
//     intensity, so that they come out in order and stream;
//   - grids are drawn by their "households" property, or equally when they
//     have none (micro grids are cut to hold similar numbers of households,
//     so small grids are dense centres), and the point uniformly inside the
//     grid by rejection in its bounding box, rounded to 1e-7° first;
//   - sources and categories follow a mix (mix.go: the 12345 hotline most,
//     then grid workers, WeChat, 110, sensors, patrols; 110 brings disputes
//     and public order, sensors safety and environment);
//   - handling times are log-normal around each category's median, the
//     reporter's feedback log-normal around 20 h, ratings skewed high;
//   - the status is what the loop reached by IncidentOptions.Now, and a
//     share of finished ones is left open (stuck, overdue) so that the
//     closure rate over the span is SeedClosureRate, Jiangyin's 98.91 %.
//
// WriteIncidentsCSV writes them as the historical incidents CSV, and
// ReportJSON one as the body of a live report. WriteStaffCSV writes a
// roster after a StaffPlan (Jiangyin113: the 1+1+3 of each micro grid).
// Names and phone numbers are made up from common surnames, given-name
// characters and mobile prefixes.
//
// # Compounds
//
// Compounds (compounds.go) makes a compound (小区) layer between grids and
// their buildings, both partial layers: clusters of nearby buildings within
// a grid, each a rectangle with a yard that stays inside the grid and
// overlaps no other compound nor another compound's building; every building
// is re-parented to its compound (a building against its grid's border is a
// compound of its own footprint). ReadGrids and WriteGrids read and write
// the layers as GeoJSON (gridmap synth compounds).
package synth
