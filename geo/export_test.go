package geo

// StatsForTest exposes the cell index statistics of layer i to tests.
func (x *Index) StatsForTest(i int) string { return x.layers[i].cells.stats() }
