package stats_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/stats"
)

var testLayers = []string{"county", "towns", "villages", "grids", "micro"}

// world is a made-up tree of grids (1 county, 4 towns, 3 villages each, 3
// grids each, 2 micro grids each) whose incidents have random fields; some
// chains lack the village layer or stop at the county.
type world struct {
	r      *rand.Rand
	chains [][]incident.Link
	codes  []string
	start  time.Time
	// many makes 40 categories and sources instead of a handful.
	many bool
}

func newWorld(seed uint64) *world {
	w := &world{r: rand.New(rand.NewPCG(seed, 1)), start: time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC)}
	link := func(layer, code string) incident.Link {
		return incident.Link{Layer: layer, Code: code, Name: "name " + code}
	}
	county := link("county", "C")
	w.codes = append(w.codes, "C")
	w.chains = append(w.chains, []incident.Link{county})
	for t := range 4 {
		town := link("towns", fmt.Sprintf("C%d", t))
		for v := range 3 {
			village := link("villages", fmt.Sprintf("%s%d", town.Code, v))
			for g := range 3 {
				grid := link("grids", fmt.Sprintf("%s%d", village.Code, g))
				for m := range 2 {
					micro := link("micro", fmt.Sprintf("%s%d", grid.Code, m))
					w.chains = append(w.chains, []incident.Link{micro, grid, village, town, county})
					w.codes = append(w.codes, micro.Code, grid.Code)
				}
				w.chains = append(w.chains, []incident.Link{grid, town, county}) // no village
			}
			w.codes = append(w.codes, village.Code)
		}
		w.codes = append(w.codes, town.Code)
	}
	return w
}

// incident returns a random incident of id.
func (w *world) incident(id int) incident.Incident {
	r := w.r
	inc := incident.Incident{
		ID:         incident.ID(id),
		Status:     incident.Statuses[r.IntN(len(incident.Statuses))],
		Category:   []string{"市容环境", "安全隐患", "治安", "其他"}[r.IntN(4)],
		Source:     []string{"12345", "110", "grid_worker"}[r.IntN(3)],
		ReportedAt: w.start.Add(time.Duration(r.Int64N(120*24*3600)) * time.Second),
		Chain:      w.chains[r.IntN(len(w.chains))],
		Overdue:    r.IntN(4) == 0,
	}
	if w.many {
		inc.Category, inc.Source = fmt.Sprintf("cat%d", r.IntN(40)), fmt.Sprintf("src%d", r.IntN(40))
	}
	if r.IntN(3) > 0 {
		inc.HandledAt = inc.ReportedAt.Add(time.Duration(r.Int64N(10*24*3600)) * time.Second)
	}
	if r.IntN(2) == 0 {
		inc.Rating = 1 + r.IntN(5)
	}
	return inc
}

// query returns a random query.
func (w *world) query(locs []*time.Location) stats.Query {
	r := w.r
	var q stats.Query
	if r.IntN(3) == 0 {
		q.Grid = append(w.codes, "nowhere")[r.IntN(len(w.codes)+1)]
	} else {
		q.Layer = append(testLayers, "nowhere")[r.IntN(len(testLayers)+1)]
	}
	if r.IntN(2) == 0 {
		q.From = w.start.Add(time.Duration(r.Int64N(60*24*3600)) * time.Second)
	}
	if r.IntN(2) == 0 {
		q.To = w.start.Add(time.Duration(60*24*3600+r.Int64N(70*24*3600)) * time.Second)
	}
	if r.IntN(3) == 0 {
		q.Category = []string{"治安", "其他", "unknown", "cat3", "cat33"}[:1+r.IntN(5)]
	}
	if r.IntN(3) == 0 {
		q.Source = []string{"110", "wechat", "src39"}[:1+r.IntN(3)]
	}
	q.Series = []string{"", "", "day", "week"}[r.IntN(4)]
	q.Location = locs[r.IntN(len(locs))]
	return q
}

// fill puts n random incidents into l, then replaces a third of them with
// new random fields (a new status, chain, times), and returns the final
// incidents.
func (w *world) fill(l *stats.Ledger, n int) []incident.Incident {
	incs := make([]incident.Incident, n)
	for i := range incs {
		incs[i] = w.incident(i + 1)
		l.Put(incs[i])
	}
	for range n / 3 {
		i := w.r.IntN(n)
		incs[i] = w.incident(i + 1)
		l.Put(incs[i])
	}
	return incs
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestQueryMatchesNaive(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York") // a daylight-saving change on 8 March 2026
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, many := range []bool{false, true} {
		t.Run(fmt.Sprintf("many=%v", many), func(t *testing.T) {
			const seed = 17
			t.Logf("seed %d", seed)
			w := newWorld(seed)
			w.many = many
			l := stats.NewLedger()
			incs := w.fill(l, 3000)
			if l.Len() != len(incs) {
				t.Fatalf("Len = %d, want %d", l.Len(), len(incs))
			}
			locs := []*time.Location{nil, time.UTC, ny}
			for i := range 300 {
				q := w.query(locs)
				got, err := l.Query(q)
				if err != nil {
					t.Fatalf("query %d %+v: %v", i, q, err)
				}
				if g, want := asJSON(t, got), asJSON(t, naive(incs, q)); g != want {
					t.Fatalf("query %d %+v:\n got %s\nwant %s", i, q, g, want)
				}
			}
		})
	}
}

func TestCountsMatchNaive(t *testing.T) {
	w := newWorld(29)
	l := stats.NewLedger()
	incs := w.fill(l, 2000)
	want := naiveCounts(incs)
	for _, layer := range testLayers {
		got := l.LayerCounts(layer)
		var exp []incident.GridCount
		for _, c := range want {
			if c.Layer == layer {
				exp = append(exp, c)
			}
		}
		slices.SortFunc(exp, func(a, b incident.GridCount) int { return strings.Compare(a.Code, b.Code) })
		if g, e := asJSON(t, got), asJSON(t, exp); g != e {
			t.Errorf("LayerCounts(%s):\n got %s\nwant %s", layer, g, e)
		}
		// the wall colours from a stats query first, then from counts: they agree
		res, err := l.Query(stats.Query{Layer: layer})
		if err != nil {
			t.Fatal(err)
		}
		var fromStats []incident.GridCount
		for _, f := range res.Grids {
			fromStats = append(fromStats, incident.GridCount{Layer: f.Layer, Code: f.Code, Total: f.Total, Open: f.Open, Overdue: f.Overdue, Closed: f.Closed})
		}
		if g, e := asJSON(t, got), asJSON(t, fromStats); g != e {
			t.Errorf("LayerCounts(%s) and Query disagree:\n counts %s\n stats  %s", layer, g, e)
		}
	}
	for _, chain := range w.chains {
		for i, c := range l.Counts(chain) {
			if e := want[[2]string{chain[i].Layer, chain[i].Code}]; c != e && (e.Total > 0 || c.Total > 0) {
				t.Errorf("Counts %s: got %+v want %+v", chain[i].Code, c, e)
			}
		}
	}
	unknown := []incident.Link{{Layer: "towns", Code: "nowhere"}, {Layer: "nolayer", Code: "C"}}
	for i, c := range l.Counts(unknown) {
		if c != (incident.GridCount{Layer: unknown[i].Layer, Code: unknown[i].Code}) {
			t.Errorf("Counts of unknown %+v = %+v, want zeros", unknown[i], c)
		}
	}
	if got := l.LayerCounts("nolayer"); len(got) != 0 {
		t.Errorf("LayerCounts(nolayer) = %v, want none", got)
	}
}

func TestConcurrentPutQuery(t *testing.T) {
	l := stats.NewLedger()
	const writers, each = 4, 500
	worlds := make([]*world, writers)
	var mu sync.Mutex
	final := map[incident.ID]incident.Incident{}
	var wg sync.WaitGroup
	for k := range writers {
		worlds[k] = newWorld(uint64(100 + k))
		wg.Add(1)
		go func(w *world) {
			defer wg.Done()
			for i := range each {
				inc := w.incident(k*each + i + 1)
				l.Put(inc)
				mu.Lock()
				final[inc.ID] = inc
				mu.Unlock()
			}
		}(worlds[k])
	}
	for _, q := range []stats.Query{{Layer: "towns", Series: "day"}, {Grid: "C1"}, {Layer: "micro"}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if _, err := l.Query(q); err != nil {
					t.Error(err)
				}
				l.LayerCounts("towns")
			}
		}()
	}
	wg.Wait()
	var incs []incident.Incident
	for _, inc := range final {
		incs = append(incs, inc)
	}
	q := stats.Query{Layer: "towns", Series: "week"}
	got, err := l.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	if g, want := asJSON(t, got), asJSON(t, naive(incs, q)); g != want {
		t.Fatalf("after concurrent puts:\n got %s\nwant %s", g, want)
	}
}

func TestQueryErrors(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		q     stats.Query
		field string
	}{
		{"neither layer nor grid", stats.Query{}, "layer"},
		{"both layer and grid", stats.Query{Layer: "towns", Grid: "C1"}, "layer"},
		{"series month", stats.Query{Layer: "towns", Series: "month"}, "series"},
		{"from after to", stats.Query{Layer: "towns", From: at, To: at.Add(-time.Hour)}, "from"},
		{"from equals to", stats.Query{Layer: "towns", From: at, To: at}, "from"},
	}
	l := stats.NewLedger()
	l.Put(newWorld(1).incident(1))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Query(tt.q)
			var fe *incident.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("err = %v, want a FieldError of %s", err, tt.field)
			}
		})
	}
}

func TestEmptyLedger(t *testing.T) {
	l := stats.NewLedger()
	res, err := l.Query(stats.Query{Grid: "C1", Series: "day"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Grid == nil || res.Grid.Code != "C1" || res.Grid.Total != 0 || res.Grid.ByStatus == nil || len(res.Series) != 0 {
		t.Fatalf("empty ledger answered %+v", res)
	}
	if l.Len() != 0 || l.LayerCounts("towns") != nil {
		t.Fatal("empty ledger has rows")
	}
}

func TestSeriesOfWildTimes(t *testing.T) {
	w := newWorld(3)
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		times  []time.Time
		points int
	}{
		{"zero time left out of the span", []time.Time{{}, now}, 1},
		{"far future past the bound of steps", []time.Time{now, now.AddDate(200, 0, 0)}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := stats.NewLedger()
			for i, at := range tt.times {
				inc := w.incident(i + 1)
				inc.ReportedAt = at
				l.Put(inc)
			}
			res, err := l.Query(stats.Query{Layer: "towns", Series: "day"})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total.Total != len(tt.times) || len(res.Series) != tt.points {
				t.Fatalf("total %d, %d points; want %d, %d", res.Total.Total, len(res.Series), len(tt.times), tt.points)
			}
		})
	}
}
