// Package geo holds the grid model: grids (Grid), layers of grids of one
// level (Layer) and the versioned set of layers linked to their parents
// (Dataset), with the rule that decides which grid owns a point (Contains,
// on the exact predicate Orient) and metric helpers (MetresPerDegree,
// DistanceToBoundary). The point index that answers "which grid is this
// point in?" fast is package geo/index.
//
// Coordinates are (lon, lat) in degrees everywhere, in WGS84/CGCS2000 unless a
// doc comment says otherwise (the two differ by a few centimetres, below the
// precision of grid boundaries, and are treated as the same datum).
//
// # The boundary rule
//
// The grids of one layer partition their territory, and their borders are
// shared: a point exactly on a border is covered by the closed polygons of two
// or more grids. gridmap gives every such point to exactly one of them, by a
// semi-open rule in the spirit of S2's semi-open vertex model:
//
//	A point P belongs to the grid that contains P + (δ, ε), where 0 < ε ≪ δ
//	are infinitesimal: the grid just to the east of P, and, when the border
//	through P runs east–west, the grid just to the north.
//
// So a point on a north–south border goes to the grid on its east; a point on
// an east–west border goes to the grid on its north; a shared vertex goes to
// the grid whose corner opens towards east-north-east. Because P + (δ, ε) lies
// on no border, exactly one grid of a gap-free partition contains it, and the
// chosen grid's closed polygon always covers P. The outer border of a layer's
// coverage is closed: a point exactly on it (by the exact predicate) belongs
// to the grid inside, as its closed polygon covers it, and a point a hair
// outside belongs to none — the same answer as PostGIS's ST_Covers.
//
// The rule is implemented as the crossing-number test with a ray cast towards
// +x: an edge counts when it straddles P's latitude half-open (min.y ≤ P.y <
// max.y) and P lies strictly to its west, decided by an exact orientation
// predicate (see Orient). Holes and MultiPolygons are honoured: the parity is
// taken over every ring of the grid.
package geo
