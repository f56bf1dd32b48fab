package synth_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/synth"
)

var (
	jyOnce sync.Once
	jy     *geo.Dataset
)

// jiangyin loads the five Jiangyin layers once for the tests of this file.
func jiangyin(t testing.TB) *geo.Dataset {
	jyOnce.Do(func() { jy = gridtest.JiangyinSet(t, synth.LayerNames...) })
	return jy
}

// year is the span of the tests: 2025, seen from its end.
var (
	yearFrom = time.Date(2025, 1, 1, 0, 0, 0, 0, synth.China)
	yearTo   = time.Date(2026, 1, 1, 0, 0, 0, 0, synth.China)
)

func generate(t testing.TB, seed uint64, n int) []synth.Incident {
	t.Helper()
	g, err := synth.NewIncidents(jiangyin(t), synth.IncidentOptions{Seed: seed, N: n, From: yearFrom, To: yearTo})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]synth.Incident, 0, n)
	for {
		inc, ok := g.Next()
		if !ok {
			return out
		}
		out = append(out, inc)
	}
}

// TestIncidentsReproducible: the same seed gives the same incidents, another
// seed others.
func TestIncidentsReproducible(t *testing.T) {
	a, b, c := generate(t, 7, 2000), generate(t, 7, 2000), generate(t, 8, 2000)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("seed 7 gave two different sequences")
	}
	if reflect.DeepEqual(a, c) {
		t.Fatal("seeds 7 and 8 gave the same sequence")
	}
}

// TestIncidentsYear checks 100k incidents of a year as a whole: ordered
// report times inside the span, every point in the grid it names (by the
// index's boundary rule), the closure rate within ±0.5 points of the
// seed's, the source and category mix, the daily and weekly rhythm, and
// consistent statuses, times and ratings.
func TestIncidentsYear(t *testing.T) {
	const seed, n = 20261207, 100000
	t.Logf("seed %d", seed)
	incs := generate(t, seed, n)
	if len(incs) != n {
		t.Fatalf("got %d incidents, want %d", len(incs), n)
	}
	idx, err := index.NewIndex(jiangyin(t))
	if err != nil {
		t.Fatal(err)
	}
	finest := jiangyin(t).LayerIndex("microgrids")
	status, source, category := map[string]int{}, map[string]int{}, map[string]int{}
	var day, night, weekday, weekend int
	ratings, rated := 0, 0
	for i, inc := range incs {
		if inc.ReportedAt.Before(yearFrom) || !inc.ReportedAt.Before(yearTo) {
			t.Fatalf("incident %d reported at %v, outside the span", i, inc.ReportedAt)
		}
		if i > 0 && inc.ReportedAt.Before(incs[i-1].ReportedAt) {
			t.Fatalf("incident %d reported at %v before incident %d at %v", i, inc.ReportedAt, i-1, incs[i-1].ReportedAt)
		}
		gi := idx.Locate(finest, inc.Lon, inc.Lat)
		if gi < 0 || jiangyin(t).Layers[finest].Grids[gi].Code != inc.Grid {
			t.Fatalf("incident %d at %v,%v is not in its grid %s (index: %d)", i, inc.Lon, inc.Lat, inc.Grid, gi)
		}
		checkTimes(t, i, inc)
		status[inc.Status]++
		source[inc.Source]++
		category[inc.Category]++
		if h := inc.ReportedAt.Hour(); h >= 8 && h < 18 {
			day++
		} else if h < 6 {
			night++
		}
		if wd := inc.ReportedAt.Weekday(); wd == time.Saturday || wd == time.Sunday {
			weekend++
		} else {
			weekday++
		}
		if inc.Rating > 0 {
			ratings += inc.Rating
			rated++
		}
	}
	closure := float64(status["closed"]) / n
	t.Logf("closure %.4f, statuses %v", closure, status)
	if math.Abs(closure-synth.SeedClosureRate) > 0.005 {
		t.Errorf("closure rate %.4f, want %.4f ± 0.005", closure, synth.SeedClosureRate)
	}
	t.Logf("sources %v", source)
	for i, s := range synth.SourceNames() {
		if source[s] == 0 {
			t.Errorf("source %s never drawn", s)
		}
		if i > 0 && source[s] > source[synth.SourceNames()[i-1]] {
			t.Errorf("source %s (%d) more frequent than %s (%d)", s, source[s], synth.SourceNames()[i-1], source[synth.SourceNames()[i-1]])
		}
	}
	t.Logf("categories %v", category)
	for _, c := range synth.CategoryNames() {
		if category[c] < n/100 {
			t.Errorf("category %s drawn %d times, want at least 1 %%", c, category[c])
		}
	}
	// 10 day hours hold most reports, 6 night hours few; a weekend day
	// fewer than a working day
	if day < 6*n/10 || night > n/20 {
		t.Errorf("rhythm: %d reports 8–18 h, %d 0–6 h of %d", day, night, n)
	}
	if perWeekend, perWeekday := float64(weekend)/2, float64(weekday)/5; perWeekend > 0.8*perWeekday {
		t.Errorf("rhythm: %.0f reports a weekend day, %.0f a working day", perWeekend, perWeekday)
	}
	if mean := float64(ratings) / float64(rated); mean < 4 || mean > 4.8 {
		t.Errorf("mean rating %.2f, want between 4 and 4.8", mean)
	}
}

// checkTimes checks that inc's times and rating fit its status.
func checkTimes(t *testing.T, i int, inc synth.Incident) {
	t.Helper()
	handled, closed := !inc.HandledAt.IsZero(), !inc.ClosedAt.IsZero()
	switch inc.Status {
	case "closed":
		if !handled || !closed || inc.ClosedAt.Before(inc.HandledAt) || inc.HandledAt.Before(inc.ReportedAt) || inc.ClosedAt.After(yearTo) {
			t.Fatalf("incident %d closed with times %+v", i, inc)
		}
	case "handled", "feedback":
		if !handled || closed || inc.HandledAt.After(yearTo) {
			t.Fatalf("incident %d %s with times %+v", i, inc.Status, inc)
		}
	default:
		if handled || closed {
			t.Fatalf("incident %d %s with times %+v", i, inc.Status, inc)
		}
	}
	if rated := inc.Rating > 0; rated != (inc.Status == "closed" || inc.Status == "feedback") || inc.Rating > 5 {
		t.Fatalf("incident %d %s rated %d", i, inc.Status, inc.Rating)
	}
	if inc.OccurredAt.After(inc.ReportedAt) {
		t.Fatalf("incident %d occurred %v after its report %v", i, inc.OccurredAt, inc.ReportedAt)
	}
}

// TestIncidentsCSV writes incidents and reads them back with encoding/csv:
// the contract's header, one row per incident, the same values.
func TestIncidentsCSV(t *testing.T) {
	const n = 3000
	g, err := synth.NewIncidents(jiangyin(t), synth.IncidentOptions{Seed: 3, N: n, From: yearFrom, To: yearTo})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	wrote, err := synth.WriteIncidentsCSV(context.Background(), &buf, g)
	if err != nil || wrote != n {
		t.Fatalf("wrote %d, %v; want %d", wrote, err, n)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"source", "external_ref", "category", "lon", "lat", "reported_at", "occurred_at", "status", "handled_at", "closed_at", "rating", "description", "reporter_name", "reporter_phone"}
	if !slices.Equal(rows[0], want) {
		t.Fatalf("header %q, want %q", rows[0], want)
	}
	if len(rows) != n+1 {
		t.Fatalf("%d rows, want %d", len(rows)-1, n)
	}
	incs := generate(t, 3, n)
	refs := map[string]bool{}
	for i, row := range rows[1:] {
		inc := incs[i]
		lon, _ := strconv.ParseFloat(row[3], 64)
		at, err := time.Parse(time.RFC3339, row[5])
		if err != nil || lon != inc.Lon || !at.Equal(inc.ReportedAt) || row[0] != inc.Source || row[7] != inc.Status {
			t.Fatalf("row %d %q does not say incident %+v (%v)", i+2, row, inc, err)
		}
		if refs[row[1]] {
			t.Fatalf("row %d repeats external_ref %s", i+2, row[1])
		}
		refs[row[1]] = true
		if p := row[13]; p != "" && len(p) != 11 {
			t.Fatalf("row %d: phone %q", i+2, p)
		}
	}
}

// TestIncidentsOptions: refused options name what is wrong.
func TestIncidentsOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    synth.IncidentOptions
	}{
		{"negative n", synth.IncidentOptions{N: -1}},
		{"from after to", synth.IncidentOptions{N: 1, From: yearTo, To: yearFrom}},
		{"closure above 1", synth.IncidentOptions{N: 1, Closure: 1.5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := synth.NewIncidents(jiangyin(t), tc.o); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

// BenchmarkIncidentsCSV writes 100k incidents of a year per op.
func BenchmarkIncidentsCSV(b *testing.B) {
	d := jiangyin(b)
	b.ReportAllocs()
	for b.Loop() {
		g, err := synth.NewIncidents(d, synth.IncidentOptions{Seed: 1, N: 100000, From: yearFrom, To: yearTo})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := synth.WriteIncidentsCSV(context.Background(), io.Discard, g); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReportJSON: the body of a live report carries the incident's fields
// and an occurred_at as long before now as the occurrence was before the
// report.
func TestReportJSON(t *testing.T) {
	for i, inc := range generate(t, 11, 200) {
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		var got struct {
			Lon, Lat                      float64
			Category, Source, Description string
			ExternalRef                   string    `json:"external_ref"`
			OccurredAt                    time.Time `json:"occurred_at"`
			Reporter                      *struct{ Name, Phone string }
		}
		if err := json.Unmarshal(inc.ReportJSON(now), &got); err != nil {
			t.Fatal(err)
		}
		wantAt := now.Add(inc.OccurredAt.Sub(inc.ReportedAt)).Truncate(time.Second)
		if got.Lon != inc.Lon || got.Lat != inc.Lat || got.Category != inc.Category || got.Source != inc.Source ||
			got.ExternalRef != inc.ExternalRef || got.Description != inc.Description || !got.OccurredAt.Equal(wantAt) ||
			(got.Reporter != nil) != (inc.ReporterPhone != "") {
			t.Fatalf("incident %d: %+v from %+v", i, got, inc)
		}
	}
}
