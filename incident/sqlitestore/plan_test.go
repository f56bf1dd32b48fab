package sqlitestore

import (
	"context"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/incident"
)

// TestListPlans: each listing walks an index in the listing's order (no
// sort of every match, no scan of the table) and the selective ones the
// index made for them, so that a page costs the same over a million
// incidents as over a thousand.
func TestListPlans(t *testing.T) {
	s := openTemp(t)
	yes, no := true, false
	tests := []struct {
		name string
		f    incident.Filter
		want string // in the plan
	}{
		{"all", incident.Filter{}, "incidents_reported"},
		{"grid", incident.Filter{Grid: "320281109"}, "PRIMARY KEY (code=?)"},
		{"grid and category", incident.Filter{Grid: "320281109", Category: []string{"治安"}}, "PRIMARY KEY (code=?)"},
		{"assignee (me/incidents)", incident.Filter{Assignee: "S021251"}, "incidents_assignee"},
		{"overdue", incident.Filter{Overdue: &yes}, "incidents_overdue"},
		{"not overdue", incident.Filter{Overdue: &no}, "incidents_reported"},
		{"category", incident.Filter{Category: []string{"治安"}}, "incidents_reported"},
		{"source, from", incident.Filter{Source: []string{"110"}, From: when(1)}, "incidents_reported"},
		{"grids (bbox)", incident.Filter{Grids: []string{"320281109001", "320281109002", "320281109003"}, BBox: &[4]float64{120.2, 31.8, 120.3, 31.9}}, "PRIMARY KEY (code=?"},
		{"grids in a grid", incident.Filter{Grids: []string{"320281109001", "320281109002"}, Grid: "320281109", Status: []incident.Status{incident.Reported}}, "PRIMARY KEY (code=?"},
		{"bbox", incident.Filter{BBox: &[4]float64{120.2, 31.8, 120.3, 31.9}}, "incidents_reported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, args, err := listQuery(tt.f, 51)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := s.rdb.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			all := strings.Join(plan, "; ")
			if tt.f.Grids != nil {
				// one walk of the primary key a code (its sort holds
				// at most a page of keys), nothing scanned whole, the
				// page's incidents read by id
				walks := strings.Count(all, "SEARCH g USING PRIMARY KEY (code=?)")
				if walks != len(tt.f.Grids) || strings.Contains(all, "SCAN i ") || strings.Contains(all, "SCAN g") ||
					!strings.HasSuffix(all, "SEARCH i USING INTEGER PRIMARY KEY (rowid=?)") {
					t.Errorf("plan %q: want %d walks of incident_grids' primary key, no scan", all, len(tt.f.Grids))
				}
				return
			}
			if !strings.Contains(all, tt.want) || strings.Contains(all, "TEMP B-TREE") {
				t.Errorf("plan %q: want %q and no sort", all, tt.want)
			}
		})
	}
}
