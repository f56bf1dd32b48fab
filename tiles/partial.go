package tiles

import "github.com/gridmap/gridmap/geo"

// DefaultMinPartialPixels is the default Options.MinPartialPixels: a
// building 8 px wide is a square one can see and click, and Jinjiang's
// median building (23 m, box 11–23 m) reaches it at z16, where its
// smallest is 5 px wide (2.05 m a pixel at 30.6° N).
const DefaultMinPartialPixels = 8

// minTilingShare is the least share of its parents' area that a layer's
// grids must cover for the layer to be taken as tiling its parents when it
// is not declared partial. The importer refuses a gap of more than a few
// square metres in a tiling layer, so a layer that passed it covers its
// parents all but wholly (Jiangyin's micro grids: 100 %); Jinjiang's
// buildings cover a fraction of their grids.
const minTilingShare = 0.9

// partialLayer reports whether ls, made from layer l, is to be tiled as a
// partial layer: one whose grids need not tile their parents (buildings,
// compounds), with space between them that belongs to the parent. It is so
// when l is declared partial (geo.Layer.Partial), and also when it is not
// but its grids cover less than minTilingShare of the area of the parents
// that hold them (a dataset whose declaration was lost on the way): such a
// layer must not be shown from the zoom of a tiling layer's median grid.
// parent is the parent layer's source and pl the parent layer, both nil for
// a root layer, which is never partial.
func partialLayer(l *geo.Layer, ls *layerSource, pl *geo.Layer, parent *layerSource) bool {
	if l.Partial {
		return true
	}
	if pl == nil || parent == nil {
		return false
	}
	var kids, parents float64
	seen := map[int]bool{}
	for i, g := range l.Grids {
		p := pl.Index(g.Parent)
		if p < 0 {
			continue
		}
		kids += ls.areas[i]
		if !seen[p] {
			seen[p] = true
			parents += parent.areas[p]
		}
	}
	return parents > 0 && kids < minTilingShare*parents
}
