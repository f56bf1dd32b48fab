package synth_test

import (
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/synth"
)

// jinjiangLayers are the layers of the Jinjiang data set, coarse to fine;
// its buildings do not tile their grids.
var jinjiangLayers = []string{"county", "towns", "villages", "grids", "buildings"}

// TestIncidentsPartial generates incidents over Jinjiang, whose finest
// layer (buildings) leaves streets and yards between its grids and 37
// grids without any building: every point lies in the grid it names by
// the index (a building, or the grid around it when between buildings),
// most fall in buildings, a fair share between them, and every grid
// without buildings gets some.
func TestIncidentsPartial(t *testing.T) {
	d := gridtest.LoadSet(t, "jinjiang", jinjiangLayers...)
	d.Layer("buildings").Partial = true
	const seed, n = 18, 30000
	t.Logf("seed %d", seed)
	g, err := synth.NewIncidents(d, synth.IncidentOptions{Seed: seed, N: n, To: time.Date(2026, 1, 1, 0, 0, 0, 0, synth.China)})
	if err != nil {
		t.Fatal(err)
	}
	idx, err := index.NewIndex(d)
	if err != nil {
		t.Fatal(err)
	}
	bl, gl := d.LayerIndex("buildings"), d.LayerIndex("grids")
	withBuildings := map[string]bool{}
	for _, b := range d.Layer("buildings").Grids {
		withBuildings[b.Parent] = true
	}
	inBuildings, between := 0, 0
	bare := map[string]int{} // incidents of the grids without buildings
	for i := 0; ; i++ {
		inc, ok := g.Next()
		if !ok {
			break
		}
		if owner := owner(idx, bl, gl, inc); owner != inc.Grid {
			t.Fatalf("incident %d at %v,%v names grid %s; the index finds %q", i, inc.Lon, inc.Lat, inc.Grid, owner)
		}
		if d.Layers[bl].Grid(inc.Grid) != nil {
			inBuildings++
			continue
		}
		between++
		if !withBuildings[inc.Grid] {
			bare[inc.Grid]++
		}
	}
	t.Logf("%d in buildings, %d between them (%d in %d grids without buildings)", inBuildings, between, sum(bare), len(bare))
	if inBuildings < n/2 || between < n/20 {
		t.Errorf("%d in buildings, %d between: want most in buildings and at least 5 %% between", inBuildings, between)
	}
	nBare := len(d.Layers[gl].Grids) - len(withBuildings)
	if len(bare) != nBare {
		t.Errorf("%d of the %d grids without buildings got incidents", len(bare), nBare)
	}
}

// owner returns the code of the finest grid the index gives inc's point
// among the layers at positions fine, coarse: its building, else its
// grid, else "".
func owner(idx *index.Index, fine, coarse int, inc synth.Incident) string {
	for _, li := range []int{fine, coarse} {
		if i := idx.Locate(li, inc.Lon, inc.Lat); i >= 0 {
			return idx.Dataset().Layers[li].Grids[i].Code
		}
	}
	return ""
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
