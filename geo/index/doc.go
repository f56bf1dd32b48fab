// Package index answers "which grid is this point in?" over every layer of
// a geo.Dataset, in about a hundred nanoseconds a point: Index finds the
// owning grid of one layer (Locate), the chain of a point from the finest
// layer of each branch to its root (AppendChains), with boundary flags, a
// nearest fallback and a layer filter (AppendQuery), and the same for many
// points at once (AppendChainsMany, AppendQueryMany), which on an index
// larger than the processor's cache is several times faster per point.
//
// Coordinates are (lon, lat) in degrees, WGS84/CGCS2000. Every answer
// follows the boundary rule of package geo (the semi-open rule, see geo's
// package doc): a point on a border between grids belongs to exactly one of
// them, the one geo.Contains names, and a point exactly on the outer border
// of a layer's coverage to the grid inside.
//
// # How a point is found
//
// Each layer has a cell index (cells.go): a uniform grid of cells over the
// layer's bounding box, where a cell no border crosses stores its owner and
// a border cell stores its candidate grids with the edges and flips that
// their crossing test needs there (built in cellbuild.go and cellrow.go,
// read in locate.go). In front of it, a hot level (hotlevel.go, built in
// hotbuild.go) answers most points from a few megabytes. Parent links are
// laid out as one ancestor row per grid (chains.go), so a chain is one
// contiguous read. The boundary flag reads the same cells (near.go), the
// nearest fallback an R-tree over the grids' bounds (nearest.go), and the
// batched lookups take blocks of points through the memory stages together
// (many.go).
//
// # Memory outside the heap (keepAlive)
//
// The index's large arrays live outside the Go heap (package bigmem) and
// are unmapped once the object that owns them is unreachable. A slice of
// them, once loaded, does not keep its owner reachable, so every exported
// method that reads them keeps its Index alive to the end with
// runtime.KeepAlive: an old version's index, dropped when a new one is
// published, is unmapped only after its last lookup has returned.
package index
