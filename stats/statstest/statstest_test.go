package statstest_test

import (
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/stats/statstest"
	"github.com/paulmach/orb"
)

func TestGenerateOverJiangyin(t *testing.T) {
	cells, err := statstest.LoadCells(gridtest.Jiangyin(t), statstest.JiangyinLayers)
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 7123 {
		t.Fatalf("%d cells, want Jiangyin's 7,123 micro grids", len(cells))
	}
	shape := map[string]orb.MultiPolygon{}
	for _, c := range cells {
		if len(c.Chain) != len(statstest.JiangyinLayers) {
			t.Fatalf("%s: chain of %d, want %d", c.Chain[0].Code, len(c.Chain), len(statstest.JiangyinLayers))
		}
		for i, k := range c.Chain {
			if want := statstest.JiangyinLayers[len(c.Chain)-1-i]; k.Layer != want {
				t.Fatalf("%s: link %d is of %s, want %s", c.Chain[0].Code, i, k.Layer, want)
			}
		}
		shape[c.Chain[0].Code] = c.Geom
	}
	const n = 20000
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	incs := statstest.Generate(cells, n, 7, start)
	again := statstest.Generate(cells, n, 7, start)
	closed := 0
	for i, inc := range incs {
		if inc.ID != incident.ID(i+1) || inc.Lon != again[i].Lon || inc.Status != again[i].Status {
			t.Fatalf("incident %d differs between two runs of the same seed", i)
		}
		if !geo.Contains(shape[inc.Finest()], orb.Point{inc.Lon, inc.Lat}) {
			t.Fatalf("incident %d at %v,%v outside its micro grid %s", inc.ID, inc.Lon, inc.Lat, inc.Finest())
		}
		if inc.Status == incident.Closed {
			closed++
		}
		if y := inc.ReportedAt.Sub(start); y < 0 || y >= 365*24*time.Hour {
			t.Fatalf("incident %d reported %v after the start", inc.ID, y)
		}
	}
	if rate := float64(closed) / n; rate < 0.98 || rate > 0.995 {
		t.Fatalf("closed %.4f, want about 0.989", rate)
	}
}
