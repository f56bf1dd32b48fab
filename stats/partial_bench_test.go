package stats_test

import (
	"sync"
	"testing"

	"github.com/gridmap/gridmap/stats"
)

var jinjiangBench struct {
	once   sync.Once
	ledger *stats.Ledger
}

// BenchmarkQueryJinjiang measures the figures of a year of 1,000,000
// incidents in Jinjiang made by the product's generator (about 13 %
// between buildings): by grid (566), by building (15,414, of which
// those with incidents are listed), and one grid with its buildings.
func BenchmarkQueryJinjiang(b *testing.B) {
	jinjiangBench.once.Do(func() {
		_, incs := jinjiangIncidents(b, benchRows)
		jinjiangBench.ledger = stats.NewLedger()
		for _, inc := range incs {
			jinjiangBench.ledger.Put(inc)
		}
	})
	benchQueries(b, jinjiangBench.ledger, []namedQuery{
		{"grids", stats.Query{Layer: "grids"}},
		{"buildings", stats.Query{Layer: "buildings"}},
		{"grid-with-buildings", stats.Query{Grid: "510104020007001"}},
	})
}
