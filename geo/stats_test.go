package geo_test

import "testing"

func TestIndexStats(t *testing.T) {
	d, x := jiangyin(t)
	for i, l := range d.Layers {
		t.Logf("%-10s %s", l.Name, x.StatsForTest(i))
	}
}
