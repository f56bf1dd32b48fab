package pgstore_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/pgstore"
	"github.com/gridmap/gridmap/incident/sqlitestore"
	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/gridmap/gridmap/live"
	"github.com/gridmap/gridmap/stats"
	"github.com/gridmap/gridmap/version"
)

// BenchmarkReport reports incidents through incident.Service, as gridmap
// serve does (figures, live hub, and over PostgreSQL the follower), from
// 16 goroutines per CPU, into the embedded SQLite store and into this
// store, one after the other in the same run: each report located,
// stored durably and published (over PostgreSQL, also the writes a
// group commit's batch held on average).
func BenchmarkReport(b *testing.B) {
	snap := snapshot(b)
	dsn := migrated(b, pgtest.NewDB(b))
	for _, tc := range []struct {
		name string
		open func(b *testing.B) incident.Store
	}{
		{"sqlite", func(b *testing.B) incident.Store {
			s, err := sqlitestore.Open(filepath.Join(b.TempDir(), "incidents.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		}},
		{"postgres", func(b *testing.B) incident.Store { return open(b, dsn) }},
	} {
		b.Run("store="+tc.name, func(b *testing.B) {
			b.ReportAllocs()
			st := tc.open(b)
			svc := benchService(b, st, snap)
			in := incident.NewIncident{Lon: 120.5, Lat: 31.5, Category: "市容环境", Source: "12345"}
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, _, err := svc.Report(ctx, in, hotline, ""); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
			if pg, ok := st.(*pgstore.Store); ok {
				batches, writes := pgstore.Batches(pg)
				b.ReportMetric(float64(writes)/float64(batches), "writes/batch")
			}
		})
	}
}

// benchService is a service over st as gridmap serve has it, running
// until b ends.
func benchService(b *testing.B, st incident.Store, snap *version.Snapshot) *incident.Service {
	ledger, hub := stats.NewLedger(), live.NewHub(1000)
	svc, err := incident.New(ctx, incident.Options{Store: st, Current: func() *version.Snapshot { return snap },
		Publisher: hub, Sinks: []incident.Sink{ledger}, Counter: ledger})
	if err != nil {
		b.Fatal(err)
	}
	run, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { svc.Run(run) })
	b.Cleanup(func() {
		stop()
		wg.Wait()
		hub.Close()
	})
	return svc
}
