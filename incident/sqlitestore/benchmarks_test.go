package sqlitestore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/sqlitestore"
)

// benchIncident is the i-th incident of a benchmark: one of 500 grids of
// 50 villages of 10 towns, a year from 2026-01-01, closed with a history
// of five steps (history is nil for a new report).
func benchIncident(i int) (incident.Incident, []incident.Transition) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 31 * time.Second)
	g := i % 500
	inc := incident.Incident{
		Status: incident.Closed, Lon: 120.1 + float64(g%25)*0.02, Lat: 31.7 + float64(g/25)*0.01, CRS: "wgs84",
		Category: "市容环境", Source: "12345", ExternalRef: "b-" + strconv.Itoa(i), Description: "路灯不亮",
		ReportedAt: at, UpdatedAt: at.Add(5 * time.Hour), Version: "v1", Deadline: at.Add(72 * time.Hour),
		HandledAt: at.Add(3 * time.Hour), ClosedAt: at.Add(5 * time.Hour), Rating: 5,
		Chain: []incident.Link{
			{Layer: "micro", Code: fmt.Sprintf("M%04d", g), Name: "微网格", Level: "micro"},
			{Layer: "grids", Code: fmt.Sprintf("G%03d", g/5), Name: "网格", Level: "grid"},
			{Layer: "villages", Code: fmt.Sprintf("V%02d", g/10), Name: "村", Level: "village"},
			{Layer: "towns", Code: fmt.Sprintf("T%d", g/50), Name: "镇", Level: "town"},
			{Layer: "county", Code: "320281", Name: "江阴市", Level: "county"},
		},
	}
	steps := []incident.Action{incident.ActReport, incident.ActAssess, incident.ActDispatch, incident.ActHandle, incident.ActClose}
	to := []incident.Status{incident.Reported, incident.Assessed, incident.Dispatched, incident.Handled, incident.Closed}
	var hist []incident.Transition
	for k, a := range steps {
		tr := incident.Transition{Action: a, To: to[k], At: at.Add(time.Duration(k) * time.Hour), Actor: incident.System}
		if k > 0 {
			tr.From = to[k-1]
		}
		hist = append(hist, tr)
	}
	return inc, hist
}

// benchStore opens a store in b's temporary dir.
func benchStore(b *testing.B) *sqlitestore.Store {
	b.Helper()
	s, err := sqlitestore.Open(filepath.Join(b.TempDir(), "incidents.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkCreate stores new incidents durably from 1, 16 and 64
// goroutines per CPU, group commit sharing each fsync between the writes
// queued, and the baseline of 64 per CPU with one transaction (one fsync)
// per write.
func BenchmarkCreate(b *testing.B) {
	for _, tc := range []struct {
		writers int
		group   bool
	}{{1, true}, {16, true}, {64, true}, {64, false}} {
		name := fmt.Sprintf("writers=%d", tc.writers)
		if !tc.group {
			name += "/tx-per-write"
		}
		b.Run(name, func(b *testing.B) {
			s := benchStore(b)
			if !tc.group {
				sqlitestore.NoGroupCommit(s)
			}
			var n atomic.Int64
			cpu0 := cpuTime()
			b.ReportAllocs()
			b.SetParallelism(tc.writers) // × GOMAXPROCS goroutines
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					createOne(b, s, int(n.Add(1)))
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
			perCPU(b, cpu0, b.N, "writes/cpu-s")
		})
	}
}

// createOne stores incident i as a new report.
func createOne(b *testing.B, s *sqlitestore.Store, i int) {
	inc, hist := benchIncident(i)
	inc.Status, inc.ClosedAt, inc.HandledAt = incident.Reported, time.Time{}, time.Time{}
	if _, _, err := s.Create(context.Background(), inc, hist[0], ""); err != nil {
		b.Error(err)
	}
}

// BenchmarkCreateMany imports closed incidents with five steps each, in
// batches of 10,000.
func BenchmarkCreateMany(b *testing.B) {
	const batch = 10000
	s := benchStore(b)
	b.ReportAllocs()
	rows := 0
	cpu0 := cpuTime()
	for b.Loop() {
		recs := make([]incident.Record, batch)
		for k := range recs {
			inc, hist := benchIncident(rows + k)
			recs[k] = incident.Record{Incident: inc, Transitions: hist}
		}
		if _, err := s.CreateMany(context.Background(), recs); err != nil {
			b.Fatal(err)
		}
		rows += batch
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	perCPU(b, cpu0, rows, "rows/cpu-s")
}

// perCPU reports n per CPU second of this process since cpu0 (nothing
// where the CPU time is unknown).
func perCPU(b *testing.B, cpu0 time.Duration, n int, unit string) {
	if d := cpuTime() - cpu0; d > 0 {
		b.ReportMetric(float64(n)/d.Seconds(), unit)
	}
}

// scanRows is how many incidents BenchmarkScan loads: a year of a county
// (GRIDMAP_BENCH_ROWS overrides).
func scanRows() int {
	if n, err := strconv.Atoi(os.Getenv("GRIDMAP_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchmarkScan loads every incident of a store of scanRows (what the
// figures and tiles do at start).
func BenchmarkScan(b *testing.B) {
	s, n := filled(b, scanRows())
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		got := 0
		if err := s.Scan(context.Background(), func(incident.Incident) error { got++; return nil }); err != nil {
			b.Fatal(err)
		}
		if got != n {
			b.Fatalf("scanned %d of %d", got, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	perCPU(b, cpu0, n*b.N, "rows/cpu-s")
}

// BenchmarkList lists the first page of 100 of one town, of one micro
// grid and of a category and source, newest first, in a store of
// scanRows.
func BenchmarkList(b *testing.B) {
	s, _ := filled(b, scanRows())
	for _, tc := range []struct {
		name string
		f    incident.Filter
	}{
		{"town", incident.Filter{Grid: "T3"}},
		{"micro", incident.Filter{Grid: "M0042"}},
		{"category+source", incident.Filter{Category: []string{"市容环境"}, Source: []string{"12345"}}},
		{"town+overdue", incident.Filter{Grid: "T3", Overdue: new(true)}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := s.List(context.Background(), tc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// bigStore is the file of the store of scanRows incidents that
// BenchmarkScan and BenchmarkList share, made once per run.
var bigStore struct {
	once sync.Once
	dir  string
	err  error
}

// filled opens the shared store of n benchmark incidents, filling it at the
// first call of the run (and logging how long the import took).
func filled(b *testing.B, n int) (*sqlitestore.Store, int) {
	b.Helper()
	bigStore.once.Do(func() {
		if bigStore.dir, bigStore.err = os.MkdirTemp("", "sqlitestore-bench"); bigStore.err != nil {
			return
		}
		bigStore.err = fill(b, filepath.Join(bigStore.dir, "incidents.db"), n)
	})
	if bigStore.err != nil {
		b.Fatal(bigStore.err)
	}
	s, err := sqlitestore.Open(filepath.Join(bigStore.dir, "incidents.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, n
}

// fill imports n benchmark incidents into a new store at path, 20,000 to
// a call.
func fill(b *testing.B, path string, n int) error {
	s, err := sqlitestore.Open(path)
	if err != nil {
		return err
	}
	defer s.Close()
	start, cpu0 := time.Now(), cpuTime()
	for done := 0; done < n; {
		recs := make([]incident.Record, min(20000, n-done))
		for k := range recs {
			inc, hist := benchIncident(done + k)
			recs[k] = incident.Record{Incident: inc, Transitions: hist}
		}
		if _, err := s.CreateMany(context.Background(), recs); err != nil {
			return err
		}
		done += len(recs)
	}
	b.Logf("filled %d incidents in %v (%v CPU)", n, time.Since(start), cpuTime()-cpu0)
	return nil
}

// removeBench removes the shared store of the benchmarks.
func removeBench() {
	if bigStore.dir != "" {
		os.RemoveAll(bigStore.dir)
	}
}
