package shard_test

import (
	"bytes"
	"testing"

	"github.com/gridmap/gridmap/shard"
	"github.com/paulmach/orb"
)

// FuzzParseOutline: any input is an Outline or an error, never a panic;
// an Outline indexes and answers Owner for its own vertices.
func FuzzParseOutline(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[120,31],[121,31],[121,32],[120,31]],[[120.5,31.2],[120.6,31.2],[120.6,31.3],[120.5,31.2]]]]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := shard.ParseOutline(bytes.NewReader(data))
		if err != nil {
			return
		}
		m := shard.NewMap([]shard.Outline{o})
		for _, mp := range o {
			for _, poly := range mp {
				for _, p := range poly[0] {
					if got := m.Owner(p); got != 0 {
						t.Fatalf("Owner of a vertex %v = %d, want 0 (closed outline)", p, got)
					}
				}
			}
		}
		_ = m.Owner(orb.Point{200, 100})
	})
}
