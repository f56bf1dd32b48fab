package tiles

import (
	"fmt"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

type edge struct{ a, b orb.Point }

// TestNoGaps renders a layer over every tile of a zoom that covers the
// layer, decodes the tiles and checks that every edge of every ring has its
// reversed twin in a neighbouring ring — so neighbours share their
// simplified borders exactly and nothing opens between them — unless the
// edge lies on the outer boundary of the layer (an arc used by one ring
// only) or touches the buffered tile frame, where clipping cuts it.
func TestNoGaps(t *testing.T) {
	d, s := jiangyinSource(t)
	tests := []struct {
		layer string
		z     int
		area  orb.Bound // (lon, lat); empty = the whole layer
	}{
		{"microgrids", 12, orb.Bound{}},
		{"microgrids", 14, maptile.At(probe, 12).Bound()},
		{"grids", 11, orb.Bound{}},
		{"villages", 9, orb.Bound{}},
		{"towns", 7, orb.Bound{}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s z%d", tc.layer, tc.z), func(t *testing.T) {
			l := layerByName(s, tc.layer)
			area := tc.area
			if area.IsZero() {
				area = d.Layer(tc.layer).Bound()
			}
			arcs := l.simp.at(tc.z)
			uses := make([]int, len(arcs))
			for _, polys := range l.topo.polys {
				for _, p := range polys {
					for _, r := range p {
						for _, ref := range r {
							uses[ref.index()]++
						}
					}
				}
			}
			var edges, twinned, outer, framed int
			for _, tl := range tilesOver(area, tc.z) {
				ml, _ := s.renderLayer(l, tc.z, int(tl.X), int(tl.Y))
				if ml == nil {
					continue
				}
				b, err := mvt.Marshal(mvt.Layers{ml})
				if err != nil {
					t.Fatal(err)
				}
				layers, err := mvt.Unmarshal(b)
				if err != nil {
					t.Fatal(err)
				}
				// Edges of the layer's outer boundary in this tile.
				fr := tileFrame{scale: float64(s.opts.Extent) * float64(uint64(1)<<tc.z), ox: float64(tl.X) * float64(s.opts.Extent), oy: float64(tl.Y) * float64(s.opts.Extent)}
				boundary := map[edge]bool{}
				for i, a := range arcs {
					if uses[i] != 1 {
						continue
					}
					for j := 1; j < len(a); j++ {
						p, q := fr.point(a[j-1]), fr.point(a[j])
						boundary[edge{p, q}], boundary[edge{q, p}] = true, true
					}
				}
				all := map[edge]int{}
				forEachEdge(layers[0], func(e edge) { all[e]++ })
				lo, hi := -float64(s.opts.Buffer), float64(s.opts.Extent+s.opts.Buffer)
				onFrame := func(p orb.Point) bool { return p[0] == lo || p[1] == lo || p[0] == hi || p[1] == hi }
				for e, n := range all {
					edges += n
					switch {
					case all[edge{e.b, e.a}] == n:
						twinned += n
					case boundary[e]:
						outer += n
					case onFrame(e.a) || onFrame(e.b):
						framed += n
					default:
						t.Errorf("%v: edge %v→%v used %d times, reversed %d times: a gap or overlap", tl, e.a, e.b, n, all[edge{e.b, e.a}])
					}
				}
			}
			t.Logf("%d edges: %d twinned, %d on the layer's outer boundary, %d at the tile frame", edges, twinned, outer, framed)
			if twinned == 0 {
				t.Error("no shared edge found")
			}
		})
	}
}

func forEachEdge(l *mvt.Layer, f func(edge)) {
	for _, ft := range l.Features {
		mp, _ := asMultiPolygon(ft.Geometry)
		for _, p := range mp {
			for _, r := range p {
				for i := 1; i < len(r); i++ {
					f(edge{r[i-1], r[i]})
				}
			}
		}
	}
}

func layerByName(s *Source, name string) *layerSource {
	for _, l := range s.layers {
		if l.name == name {
			return l
		}
	}
	panic("no layer " + name)
}
