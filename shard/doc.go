// Package shard says which shard of a sharded deployment holds a point.
// A shard is one gridmap (a set of replicas behind one address) holding the
// grids of part of the country, typically one province; its outline is the
// union of its root-layer grids, as the shard serves them at
// GET /api/v1/outline (ParseOutline reads that answer).
//
// Coordinates are (lon, lat) degrees, WGS84/CGCS2000.
//
// # Which shard owns a point
//
// Map.Owner applies gridmap's own boundary rule (package geo) to the
// shards' root grids, so a router in front of the shards answers exactly as
// one gridmap holding every shard would:
//
//  1. The shard with a root grid that contains p by geo.Contains, the
//     semi-open rule: a point on a provincial border belongs to the shard
//     just east of it, or north when the border runs east–west. Inside one
//     gridmap holding both provinces that border is an inner border, and
//     the same rule gives the point to the same side.
//  2. Else the shard with a root grid whose closed border passes exactly
//     through p (geo.OnSegment): the outer border of the country, which one
//     gridmap also counts as inside (its coverage is closed).
//  3. Else no shard owns p (Owner returns -1); Map.Nearest then names the
//     shard whose outline's bounding box is nearest, to give the point the
//     "not found" answer a shard gives; with nearest=M, Map.Near names
//     every shard within M metres, to ask each for its nearest grid and
//     keep the nearest answer.
//
// The candidates of steps 1 and 2 come from an R-tree (tidwall/rtree) over
// the bounding boxes of every root grid, so a lookup tests the exact
// polygons of one or two provinces only.
package shard
