package incident_test

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
)

// rowsReader streams n closed historical incidents over the tiny
// snapshot's grids.
func rowsReader(n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprint(pw, importHeader)
		t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			at := t0.Add(time.Duration(i) * time.Second)
			lon := 120.01 + float64(i%1979)/1000
			fmt.Fprintf(pw, "12345,B%d,其他,%.4f,31.5,%s,,closed,%s,%s,5,,,\n", i, lon,
				at.Format(time.RFC3339), at.Add(3*time.Hour).Format(time.RFC3339), at.Add(9*time.Hour).Format(time.RFC3339))
		}
		pw.Close()
	}()
	return pr
}

// BenchmarkImportCSV imports b.N closed incidents (a history of 7
// transitions each) into a fresh SQLite store, as one file, and reports
// rows per second.
func BenchmarkImportCSV(b *testing.B) {
	b.ReportAllocs()
	f := newFixture(b, nil)
	f.importRoster(b)
	r := rowsReader(b.N)
	b.ResetTimer()
	res, err := f.svc.ImportCSV(context.Background(), r, incident.System)
	if err != nil {
		b.Fatal(err)
	}
	if res.Stored != b.N {
		b.Fatalf("%+v", res)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReport reports incidents from 16 goroutines per core (clients
// of the HTTP layer) into a fresh SQLite store: each located, stored
// durably and published.
func BenchmarkReport(b *testing.B) {
	b.ReportAllocs()
	f := newFixture(b, nil)
	ctx := context.Background()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		in := incident.NewIncident{Lon: 120.25, Lat: 31.5, Category: "其他", Source: "12345"}
		for pb.Next() {
			if _, _, err := f.svc.Report(ctx, in, hotline, ""); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
}
