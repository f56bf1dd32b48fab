package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
)

// fill stores n fixtures through CreateMany and returns them as stored, in
// ID order.
func fill(t *testing.T, s incident.Store, n int) []incident.Incident {
	t.Helper()
	rng := seeded(t)
	batch := make([]incident.Record, n)
	for i := range batch {
		inc := fixture(rng, i)
		batch[i] = incident.Record{Incident: inc, Transitions: []incident.Transition{report(inc)}}
	}
	if got, err := s.CreateMany(ctx, batch); err != nil || got != n {
		t.Fatalf("CreateMany: %d stored, %v; want %d", got, err, n)
	}
	return scanAll(t, s)
}

// scanAll returns every stored incident in ID order.
func scanAll(t *testing.T, s incident.Store) []incident.Incident {
	t.Helper()
	var all []incident.Incident
	if err := s.Scan(ctx, func(inc incident.Incident) error { all = append(all, inc); return nil }); err != nil {
		t.Fatal(err)
	}
	return all
}

// match is the brute-force meaning of a Filter.
func match(f incident.Filter, inc incident.Incident) bool {
	in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	grid := f.Grid == "" || slices.ContainsFunc(inc.Chain, func(l incident.Link) bool { return l.Code == f.Grid })
	grids := f.Grids == nil || slices.ContainsFunc(inc.Chain, func(l incident.Link) bool { return slices.Contains(f.Grids, l.Code) })
	status := len(f.Status) == 0 || slices.Contains(f.Status, inc.Status)
	when := (f.From.IsZero() || !inc.ReportedAt.Before(f.From)) && (f.To.IsZero() || inc.ReportedAt.Before(f.To))
	box := f.BBox == nil || (inc.Lon >= f.BBox[0] && inc.Lon <= f.BBox[2] && inc.Lat >= f.BBox[1] && inc.Lat <= f.BBox[3])
	overdue := f.Overdue == nil || *f.Overdue == inc.Overdue
	assignee := f.Assignee == "" || f.Assignee == inc.Assignee
	return grid && grids && status && when && box && overdue && assignee && in(f.Category, inc.Category) && in(f.Source, inc.Source)
}

// expected is what List of f must give over all: the matches, newest
// ReportedAt first, ties higher ID first.
func expected(f incident.Filter, all []incident.Incident) []incident.ID {
	var out []incident.Incident
	for _, inc := range all {
		if match(f, inc) {
			out = append(out, inc)
		}
	}
	slices.SortFunc(out, func(a, b incident.Incident) int {
		if c := b.ReportedAt.Compare(a.ReportedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	list := make([]incident.ID, len(out))
	for i, inc := range out {
		list[i] = inc.ID
	}
	return list
}

// Expected is what List of f must give over all (the incidents stored):
// their IDs, newest ReportedAt first, ties higher ID first. Tests of the
// layers above a store check their listings with it.
func Expected(f incident.Filter, all []incident.Incident) []incident.ID { return expected(f, all) }

// ids lists every incident of f, page by page, and fails t when a page
// is longer than asked or the cursors loop.
func ids(t *testing.T, s incident.Store, f incident.Filter) []incident.ID {
	t.Helper()
	var out []incident.ID
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("cursors do not end")
		}
		list, next, err := s.List(ctx, f)
		if err != nil {
			t.Fatalf("List %+v: %v", f, err)
		}
		if f.Limit > 0 && len(list) > f.Limit {
			t.Fatalf("page of %d, limit %d", len(list), f.Limit)
		}
		for _, inc := range list {
			out = append(out, inc.ID)
		}
		if next == "" {
			return out
		}
		f.Cursor = next
	}
}

// count is how many incidents List of f gives.
func count(t *testing.T, s incident.Store, f incident.Filter) int {
	t.Helper()
	return len(ids(t, s, f))
}

// filters are the listings checked: each field alone and together.
func filters() []struct {
	name string
	f    incident.Filter
} {
	yes, no := true, false
	box := [4]float64{120.2, 31.75, 120.4, 31.85}
	from, to := base.Add(40*7*time.Minute), base.Add(90*7*time.Minute)
	return []struct {
		name string
		f    incident.Filter
	}{
		{"all", incident.Filter{}},
		{"grid", incident.Filter{Grid: "G01"}},
		{"village", incident.Filter{Grid: "V1"}},
		{"town", incident.Filter{Grid: "T2"}},
		{"county", incident.Filter{Grid: "320281"}},
		{"unknown grid", incident.Filter{Grid: "nowhere"}},
		{"status", incident.Filter{Status: []incident.Status{incident.Reported}}},
		{"statuses", incident.Filter{Status: []incident.Status{incident.Closed, incident.Rejected}}},
		{"category", incident.Filter{Category: []string{"市容环境"}}},
		{"categories", incident.Filter{Category: []string{"安全隐患", "公共设施"}}},
		{"source", incident.Filter{Source: []string{"12345"}}},
		{"sources", incident.Filter{Source: []string{"110", "sensor"}}},
		{"from", incident.Filter{From: from}},
		{"to", incident.Filter{To: to}},
		{"from to", incident.Filter{From: from, To: to}},
		{"bbox", incident.Filter{BBox: &box}},
		{"overdue", incident.Filter{Overdue: &yes}},
		{"not overdue", incident.Filter{Overdue: &no}},
		{"assignee", incident.Filter{Assignee: "S001"}},
		{"town, open, overdue", incident.Filter{Grid: "T1", Status: []incident.Status{incident.Reported, incident.Dispatched, incident.Handling}, Overdue: &yes}},
		{"grid in a window", incident.Filter{Grid: "V3", From: from, To: to}},
		{"source, category, bbox", incident.Filter{Source: []string{"12345", "wechat"}, Category: []string{"市容环境", "矛盾纠纷"}, BBox: &box}},
		{"grids", incident.Filter{Grids: []string{"G01", "G04", "G05"}}},
		{"no grids", incident.Filter{Grids: []string{}}},
		{"unknown grids", incident.Filter{Grids: []string{"nowhere", "G02"}}},
		{"grids, bbox, status", incident.Filter{Grids: []string{"V1", "V3"}, BBox: &box, Status: []incident.Status{incident.Reported, incident.Closed}}},
		{"grids in a grid", incident.Filter{Grids: []string{"G01", "G03", "G04"}, Grid: "T1", From: from}},
		{"assignee of a grid", incident.Filter{Assignee: "S002", Grid: "T1", Overdue: &no}},
	}
}

// testListFilters: every filter gives exactly the brute-force matches in
// order, in one page.
func testListFilters(t *testing.T, s incident.Store) {
	all := fill(t, s, 150)
	for _, tc := range filters() {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			f.Limit = incident.MaxLimit
			list, next, err := s.List(ctx, f)
			if err != nil || next != "" {
				t.Fatalf("List: next %q, %v", next, err)
			}
			got := make([]incident.ID, len(list))
			for i, inc := range list {
				got[i] = inc.ID
			}
			if want := expected(tc.f, all); !slices.Equal(got, want) {
				t.Fatalf("got %v\nwant %v", got, want)
			}
		})
	}
}

// testListPages: small pages of every filter cover the listing exactly
// once, in order.
func testListPages(t *testing.T, s incident.Store) {
	all := fill(t, s, 150)
	for _, limit := range []int{1, 7, 50} {
		for _, tc := range filters() {
			f := tc.f
			f.Limit = limit
			if got, want := ids(t, s, f), expected(tc.f, all); !slices.Equal(got, want) {
				t.Fatalf("%s by %d: got %v\nwant %v", tc.name, limit, got, want)
			}
		}
	}
}

// testListLimits: no limit is DefaultLimit, a larger one MaxLimit.
func testListLimits(t *testing.T, s incident.Store) {
	fill(t, s, incident.MaxLimit+5)
	for _, tc := range []struct{ limit, want int }{
		{0, incident.DefaultLimit}, {-3, incident.DefaultLimit}, {10, 10},
		{incident.MaxLimit, incident.MaxLimit}, {incident.MaxLimit * 3, incident.MaxLimit},
	} {
		list, next, err := s.List(ctx, incident.Filter{Limit: tc.limit})
		if err != nil || len(list) != tc.want || next == "" {
			t.Fatalf("limit %d: %d incidents, next %q, %v; want %d and a next", tc.limit, len(list), next, err, tc.want)
		}
	}
}

// testListBadCursor: a cursor no listing made is a FieldError of field
// "cursor".
func testListBadCursor(t *testing.T, s incident.Store) {
	fill(t, s, 3)
	for _, c := range []string{"x", "not a cursor", "AAAAAAAAAAAAAAAAAAAAAA", "%%%", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		_, _, err := s.List(ctx, incident.Filter{Cursor: c})
		var fe *incident.FieldError
		if !errors.As(err, &fe) || fe.Field != "cursor" {
			t.Fatalf("cursor %q: %v, want a FieldError of cursor", c, err)
		}
	}
}
