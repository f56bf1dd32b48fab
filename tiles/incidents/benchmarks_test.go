package incidents_test

import (
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/tiles/incidents"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// benchN is the incidents of the benchmarks: a year of a county.
const benchN = 1_000_000

var million struct {
	once       sync.Once
	src        *incidents.Source
	bytesPer   float64
	probe      orb.Point
	putNsPerOp float64
}

// millionSource returns a Source holding benchN synthetic incidents over
// Jiangyin (seed 2026), built once per test binary, and the heap bytes it
// takes per incident.
func millionSource(b *testing.B) (*incidents.Source, float64) {
	b.Helper()
	f := jiangyinFixture(b)
	million.once.Do(func() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		src := incidents.New()
		f.each(2026, 1, benchN, src.Put)
		runtime.GC()
		runtime.ReadMemStats(&after)
		million.src = src
		million.bytesPer = float64(after.HeapAlloc-before.HeapAlloc) / benchN
	})
	return million.src, million.bytesPer
}

// BenchmarkTile draws the tile holding 澄江街道 (the centre of Jiangyin,
// where grids are densest) with 1M incidents held: at z8 (the county),
// z10, z12, z14 (grids aggregated) and z15 (incidents), and at z12 and z15
// with a filter of three statuses and one category.
func BenchmarkTile(b *testing.B) {
	f := jiangyinFixture(b)
	src, perIncident := millionSource(b)
	probe := orb.Point{120.285, 31.905} // (lon, lat)
	some := incidents.Filter{Statuses: []incident.Status{incident.Reported, incident.Dispatched, incident.Handling}, Categories: []string{"治安"}}
	for _, tc := range []struct {
		z      int
		filter incidents.Filter
	}{{8, incidents.Filter{}}, {10, incidents.Filter{}}, {12, incidents.Filter{}}, {14, incidents.Filter{}}, {15, incidents.Filter{}}, {12, some}, {15, some}} {
		name := fmt.Sprintf("z%d", tc.z)
		if len(tc.filter.Statuses) > 0 {
			name += "-filtered"
		}
		b.Run(name, func(b *testing.B) {
			tl := maptile.At(probe, maptile.Zoom(tc.z))
			b.ReportAllocs()
			var raw []byte
			for b.Loop() {
				var err error
				if raw, _, err = src.TileAt(f.snap, tc.z, int(tl.X), int(tl.Y), tc.filter); err != nil {
					b.Fatal(err)
				}
			}
			gz, err := tiles.Gzip(raw)
			if err != nil {
				b.Fatal(err)
			}
			ls, err := mvt.Unmarshal(raw)
			if err != nil || len(ls) != 1 {
				b.Fatalf("%d layers, %v", len(ls), err)
			}
			b.ReportMetric(float64(len(ls[0].Features)), "features")
			b.ReportMetric(float64(len(raw)), "bytes")
			b.ReportMetric(float64(len(gz)), "gzip-bytes")
			b.ReportMetric(perIncident, "heap-B/incident")
		})
	}
}

// BenchmarkPut replaces incidents of the 1M-incident source (a status
// change, the common case at 2,000 writes per second).
func BenchmarkPut(b *testing.B) {
	f := jiangyinFixture(b)
	src, _ := millionSource(b)
	incs := f.synth(b, 7, 1, 1000) // ids 1..1000: already held
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		inc := incs[i%len(incs)]
		inc.Status = incident.Statuses[i%len(incident.Statuses)]
		src.Put(inc)
		i++
	}
}
