package synth

import (
	"github.com/gridmap/gridmap/geo"
)

// Dataset returns n copies of s as an in-memory geo.Dataset, laid out as
// Write lays them out: the same codes, names and vertices, without going
// through GeoJSON and the importer. It is meant for benchmarks of the index
// over a province; the importer's checks are not run.
func (s *Source) Dataset(n int, margin float64) (*geo.Dataset, error) {
	lat := s.NewLattice(n, margin)
	var layers []*geo.Layer
	for _, sl := range s.Layers {
		grids := make([]*geo.Grid, 0, n*len(sl.Features))
		for k := 1; k <= n; k++ {
			dx, dy := lat.Offset(k)
			for i := range sl.Features {
				f := &sl.Features[i]
				g := &geo.Grid{
					Code:   lat.Code(k, f.Code),
					Name:   Name(k, f.Name),
					Level:  f.Level,
					Parent: lat.Code(k, f.Parent),
					Geom:   MoveGeom(f.Geom, dx, dy),
				}
				g.Props = make(map[string]any, len(f.Extra)+4)
				for key, v := range f.Extra {
					g.Props[key] = v
				}
				g.Props["code"], g.Props["name"] = g.Code, g.Name
				if g.Level != "" {
					g.Props["level"] = g.Level
				}
				if g.Parent != "" {
					g.Props["parent"] = g.Parent
				}
				grids = append(grids, g)
			}
		}
		layers = append(layers, geo.NewLayer(sl.Name, grids))
	}
	return geo.NewDataset(layers)
}
