package geo_test

import "testing"

func TestIndexStats(t *testing.T) {
	d, x := jiangyin(t)
	for i, l := range d.Layers {
		t.Logf("%-10s %s", l.Name, x.StatsForTest(i))
	}
}

func TestChainTable(t *testing.T) {
	_, x := jiangyin(t)
	if msg := x.ChainsAgreeForTest(); msg != "" {
		t.Fatal(msg)
	}
}
