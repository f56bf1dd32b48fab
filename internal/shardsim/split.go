// Package shardsim builds a sharded deployment in miniature on loopback for
// the router's simulation test and its benchmark (bench/shardroute): the
// bundled Jiangyin sample without its county, split by town into a west
// and an east shard that share a border, each imported into a data dir of
// its own and served by a real `gridmap serve` process, and the union of
// both (what one gridmap holding every shard answers). Coordinates are
// (lon, lat) WGS84.
package shardsim

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gridmap/gridmap/sample"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Layers are the layers of the simulation: the sample without its county,
// so that the towns are the root layer and a shard's outline is its towns.
var Layers = []string{"towns", "villages", "grids", "microgrids"}

// Split is the sample split into two shards.
type Split struct {
	// West and East are the towns of each shard, split at the median of
	// their bounding boxes' centres' longitudes.
	West, East []*geojson.Feature
	// Border holds the ring vertices the two shards' towns share: points
	// exactly on the border between the shards.
	Border []orb.Point
	// Bound is the bounding box of every town.
	Bound  orb.Bound
	layers map[string]*geojson.FeatureCollection
	all    []string // the codes of the towns kept
}

// SplitSample extracts the bundled sample into dir and splits it; towns > 0
// keeps only that many towns, the middle ones from west to east (Jiangyin
// has 17), for a smaller deployment.
func SplitSample(dir string, towns int) (*Split, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if _, err := sample.Extract(dir); err != nil {
		return nil, err
	}
	s := &Split{layers: map[string]*geojson.FeatureCollection{}}
	for _, l := range Layers {
		data, err := os.ReadFile(filepath.Join(dir, l+".geojson"))
		if err != nil {
			return nil, err
		}
		if s.layers[l], err = geojson.UnmarshalFeatureCollection(data); err != nil {
			return nil, fmt.Errorf("sample %s: %w", l, err)
		}
	}
	all := slices.Clone(s.layers["towns"].Features)
	slices.SortFunc(all, func(a, b *geojson.Feature) int {
		ax, bx := a.Geometry.Bound().Center()[0], b.Geometry.Bound().Center()[0]
		switch {
		case ax < bx:
			return -1
		case ax > bx:
			return 1
		}
		return 0
	})
	if towns > 0 && towns < len(all) {
		from := (len(all) - towns) / 2
		all = all[from : from+towns]
	}
	s.all = Codes(all)
	s.West, s.East = all[:len(all)/2], all[len(all)/2:]
	s.Border = sharedVertices(s.West, s.East)
	s.Bound = all[0].Geometry.Bound()
	for _, f := range all {
		s.Bound = s.Bound.Union(f.Geometry.Bound())
	}
	return s, nil
}

// Codes returns the codes of the towns.
func Codes(towns []*geojson.Feature) []string {
	out := make([]string, 0, len(towns))
	for _, f := range towns {
		out = append(out, f.Properties.MustString("code"))
	}
	return out
}

// Files writes into dir the grids of every layer under the towns named
// (nil: every town kept) and returns the import arguments NAME=FILE.
func (s *Split) Files(dir string, towns []string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if towns == nil {
		towns = s.all
	}
	var args []string
	for _, l := range Layers {
		fc := geojson.NewFeatureCollection()
		for _, f := range s.layers[l].Features {
			code := f.Properties.MustString("code")
			if slices.ContainsFunc(towns, func(tc string) bool { return strings.HasPrefix(code, tc) }) {
				fc.Append(f)
			}
		}
		data, err := fc.MarshalJSON()
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, l+".geojson")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return nil, err
		}
		args = append(args, l+"="+path)
	}
	return args, nil
}

// sharedVertices returns the ring vertices found in both sets of towns.
func sharedVertices(a, b []*geojson.Feature) []orb.Point {
	seen := map[orb.Point]bool{}
	eachVertex(a, func(p orb.Point) { seen[p] = true })
	var out []orb.Point
	eachVertex(b, func(p orb.Point) {
		if seen[p] {
			out = append(out, p)
			delete(seen, p)
		}
	})
	return out
}

func eachVertex(fs []*geojson.Feature, f func(orb.Point)) {
	for _, ft := range fs {
		var mp orb.MultiPolygon
		switch g := ft.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		}
		for _, poly := range mp {
			for _, r := range poly {
				for _, p := range r {
					f(p)
				}
			}
		}
	}
}
