package index_test

import "testing"

// TestIndexStats logs the cell index of each Jiangyin layer and checks that
// NewIndex gave each one a hot level (every one fits in hotMaxBytes).
func TestIndexStats(t *testing.T) {
	d, x := jiangyin(t)
	for i, l := range d.Layers {
		t.Logf("%-10s %s", l.Name, x.StatsForTest(i))
		if x.HotBytesForTest(i) == 0 {
			t.Errorf("layer %s has no hot level", l.Name)
		}
	}
}

func TestChainTable(t *testing.T) {
	_, x := jiangyin(t)
	if msg := x.ChainsAgreeForTest(); msg != "" {
		t.Fatal(msg)
	}
}
