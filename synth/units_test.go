package synth

import (
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
)

// TestUnitsTiled: over Jiangyin, whose layers tile their parents, the
// places incidents fall in are the micro grids and nothing else, so the
// generator draws as it did before partial layers.
func TestUnitsTiled(t *testing.T) {
	d := gridtest.JiangyinSet(t, LayerNames...)
	us, ws := units(d)
	micro := d.Layer("microgrids").Grids
	if len(us) != len(micro) || len(ws) != len(us) {
		t.Fatalf("%d units (%d weights), want the %d micro grids", len(us), len(ws), len(micro))
	}
	for i, u := range us {
		if u.grid != micro[i] || len(u.holes) != 0 {
			t.Fatalf("unit %d is %s with %d holes, want micro grid %s", i, u.grid.Code, len(u.holes), micro[i].Code)
		}
	}
}
