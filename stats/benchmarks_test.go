package stats_test

import (
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/stats"
	"github.com/gridmap/gridmap/stats/statstest"
)

// benchRows is the figure: a year of a county, 1,000,000 incidents.
const benchRows = 1_000_000

var bench struct {
	once   sync.Once
	ledger *stats.Ledger
	incs   []incident.Incident
	err    error
}

// benchLedger returns a ledger of a year of 1,000,000 synthetic incidents
// in Jiangyin's micro grids (the shared data, else the bundled sample),
// built once per run.
func benchLedger(b *testing.B) (*stats.Ledger, []incident.Incident) {
	dir := gridtest.Jiangyin(b)
	bench.once.Do(func() {
		cells, err := statstest.LoadCells(dir, statstest.JiangyinLayers)
		if err != nil {
			bench.err = err
			return
		}
		bench.incs = statstest.Generate(cells, benchRows, 2026, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
		bench.ledger = stats.NewLedger()
		for _, inc := range bench.incs {
			bench.ledger.Put(inc)
		}
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.ledger, bench.incs
}

// BenchmarkQuery measures the figures of a year of 1,000,000 incidents in
// Jiangyin: by town (17), by micro grid (7,123), one town with its
// villages, a weekly series, and a filtered month.
func BenchmarkQuery(b *testing.B) {
	l, _ := benchLedger(b)
	month := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	benchQueries(b, l, []namedQuery{
		{"towns", stats.Query{Layer: "towns"}},
		{"microgrids", stats.Query{Layer: "microgrids"}},
		{"town-with-villages", stats.Query{Grid: "320281001"}},
		{"towns-weekly", stats.Query{Layer: "towns", Series: "week"}},
		{"microgrids-month-12345", stats.Query{Layer: "microgrids", From: month, To: month.AddDate(0, 1, 0), Source: []string{"12345"}}},
	})
}

// namedQuery is one query of a benchmark.
type namedQuery struct {
	name string
	q    stats.Query
}

// benchQueries runs each query of qs on l as a sub-benchmark; a query
// that fails or counts nothing fails it.
func benchQueries(b *testing.B, l *stats.Ledger, qs []namedQuery) {
	for _, bm := range qs {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := l.Query(bm.q)
				if err != nil || res.Total.Total == 0 {
					b.Fatalf("query %+v: %v, %d incidents", bm.q, err, res.Total.Total)
				}
			}
		})
	}
}

// BenchmarkPut measures replacing a row (the write path's cost of the
// figures: a status change of one of 1,000,000 incidents).
func BenchmarkPut(b *testing.B) {
	l, incs := benchLedger(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		inc := incs[i%len(incs)]
		inc.Status = incident.Handling
		l.Put(inc)
		i++
	}
}

// BenchmarkLayerCounts measures the wall's colours of every micro grid.
func BenchmarkLayerCounts(b *testing.B) {
	l, _ := benchLedger(b)
	b.ReportAllocs()
	for b.Loop() {
		if len(l.LayerCounts("microgrids")) == 0 {
			b.Fatal("no counts")
		}
	}
}
