package shard_test

import (
	"strings"
	"testing"

	"github.com/gridmap/gridmap/shard"
	"github.com/paulmach/orb"
)

// square is the closed square [x0, x1] × [y0, y1], counter-clockwise.
func square(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

// Three shards: west [0,1]×[0,1], east [1,2]×[0,1] (sharing the edge
// x = 1) and north [0,2]×[1,2] (sharing y = 1 with both).
func threeShards() *shard.Map {
	return shard.NewMap([]shard.Outline{
		{square(0, 0, 1, 1)},
		{square(1, 0, 2, 1)},
		{square(0, 1, 2, 2)},
	})
}

func TestOwner(t *testing.T) {
	m := threeShards()
	for _, tc := range []struct {
		name string
		p    orb.Point
		want int
	}{
		{"inside west", orb.Point{0.5, 0.5}, 0},
		{"inside east", orb.Point{1.5, 0.5}, 1},
		{"inside north", orb.Point{1, 1.5}, 2},
		{"on the west–east border: east", orb.Point{1, 0.5}, 1},
		{"on the west–north border: north", orb.Point{0.5, 1}, 2},
		{"on the east–north border: north", orb.Point{1.5, 1}, 2},
		{"the corner of all three: north", orb.Point{1, 1}, 2},
		{"outer west edge: west (closed)", orb.Point{0, 0.5}, 0},
		{"outer east edge: east (closed)", orb.Point{2, 0.5}, 1},
		{"outer south edge of east", orb.Point{1.5, 0}, 1},
		{"outer south-east corner", orb.Point{2, 0}, 1},
		{"outer north edge", orb.Point{0.5, 2}, 2},
		{"a hair outside", orb.Point{2.000000001, 0.5}, -1},
		{"far away", orb.Point{50, 50}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := m.Owner(tc.p); got != tc.want {
				t.Fatalf("Owner(%v) = %d, want %d", tc.p, got, tc.want)
			}
		})
	}
}

// TestOwnerPartition: over a lattice that includes every border, each
// point of the closed union has exactly one owner, the one that holds the
// point just east-north-east of it when that point is inside.
func TestOwnerPartition(t *testing.T) {
	m := threeShards()
	const step = 0.125
	for x := -step; x <= 2+step; x += step {
		for y := -step; y <= 2+step; y += step {
			p := orb.Point{x, y}
			got := m.Owner(p)
			inside := x >= 0 && x <= 2 && y >= 0 && y <= 2
			if inside != (got >= 0) {
				t.Fatalf("Owner(%v) = %d, inside %v", p, got, inside)
			}
			if ene := m.Owner(orb.Point{x + 1e-9, y + 1e-12}); inside && ene >= 0 && ene != got {
				t.Fatalf("Owner(%v) = %d, but the point east-north-east of it is %d's", p, got, ene)
			}
		}
	}
}

func TestNearestAndNear(t *testing.T) {
	m := threeShards()
	for _, tc := range []struct {
		name    string
		p       orb.Point
		metres  float64
		nearest int
		near    []int
	}{
		{"south of east", orb.Point{1.6, -0.1}, 100, 1, []int{1}},
		{"south of east near the corner, 100 m", orb.Point{1.01, -0.0001}, 100, 1, []int{1}},
		{"south of east near the corner, 50 km", orb.Point{1.01, -0.0001}, 50_000, 1, []int{1, 0}},
		{"west of west", orb.Point{-1, 0.5}, 100, 0, []int{0}},
		{"north of north", orb.Point{1, 3}, 100, 2, []int{2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := m.Nearest(tc.p); got != tc.nearest {
				t.Fatalf("Nearest(%v) = %d, want %d", tc.p, got, tc.nearest)
			}
			if got := m.Near(tc.p, tc.metres); !equal(got, tc.near) {
				t.Fatalf("Near(%v, %v) = %v, want %v", tc.p, tc.metres, got, tc.near)
			}
		})
	}
	if got := shard.NewMap(nil).Nearest(orb.Point{}); got != -1 {
		t.Fatalf("Nearest of no shards = %d, want -1", got)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestParseOutline(t *testing.T) {
	for _, tc := range []struct {
		name, in, err string
		grids         int
	}{
		{"polygon and multipolygon", `{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[2,0],[3,0],[3,1],[2,0]]]]}}]}`, "", 2},
		{"no features", `{"type":"FeatureCollection","features":[]}`, "no features", 0},
		{"a point", `{"type":"FeatureCollection","features":[{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[0,0]}}]}`, "feature 0 (id x): geometry: Point", 0},
		{"no geometry", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null}]}`, "feature 0 (id <nil>): geometry: missing", 0},
		{"short ring", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}]}`, "ring 0: 3 positions", 0},
		{"latitude out of range", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,91],[0,0]]]}}]}`, "position 2", 0},
		{"not JSON", `<html>`, "outline:", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := shard.ParseOutline(strings.NewReader(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want one with %q", err, tc.err)
				}
				return
			}
			if err != nil || len(o) != tc.grids {
				t.Fatalf("%d grids, err %v; want %d", len(o), err, tc.grids)
			}
		})
	}
}
