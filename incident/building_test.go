package incident_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/staff"
	"github.com/gridmap/gridmap/version"
)

// buildingSnapshot is tinySnapshot (G11|G12 split at 120.5 E) with a
// partial layer of buildings: B1 and B2 in G11, B3 in G12, with streets
// between them that belong to their grid.
func buildingSnapshot(t testing.TB) *version.Snapshot {
	t.Helper()
	base := tinySnapshot(t, "b", 120.5).Data
	b := func(code, parent string, x0, y0 float64) *geo.Grid {
		return &geo.Grid{Code: code, Parent: parent, Name: code + "栋", Level: "building",
			Props: map[string]any{"households": 40.0}, Geom: box(x0, y0, x0+0.1, y0+0.1)}
	}
	buildings := geo.NewLayer("buildings", []*geo.Grid{
		b("B1", "G11", 120.1, 31.1), b("B2", "G11", 120.3, 31.3), b("B3", "G12", 120.6, 31.6),
	})
	buildings.Partial = true
	d, err := geo.NewDataset(append(slices.Clone(base.Layers), buildings))
	if err != nil {
		t.Fatal(err)
	}
	snap, err := version.Build(version.Manifest{ID: "b"}, d, version.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// buildingRoster is testRoster with building heads: B1's 楼栋长 H1 and
// B3's 单元长 U3 (not a responsible role in any test); B2 has nobody.
const buildingRoster = testRoster + `B1,H1,楼长甲,楼栋长,13800002001
B3,U3,单元乙,单元长,13800002003
`

// chengduRoles are Chengdu's role names (网格长, 专职网格员, 楼栋长,
// 单元长…) with responsible as given.
func chengduRoles(responsible ...string) staff.Roles {
	return staff.Roles{Names: append(slices.Clone(staff.DefaultRoles.Names), "单元长"), Responsible: responsible}
}

// TestDispatchBuildings dispatches incidents whose chain starts at a
// building (a point inside it) or at a grid (a point between buildings):
// to the building's head when 楼栋长 is a responsible role, else, and
// for a building without one, up the chain, counting the grids passed.
func TestDispatchBuildings(t *testing.T) {
	for _, tc := range []struct {
		name        string
		responsible []string
		lon, lat    float64
		first       string // the chain's first grid
		assignee    string
		grid        string
		escalations int
	}{
		{"in B1, 楼栋长 responsible", []string{"楼栋长", "专职网格员", "网格长"}, 120.15, 31.15, "B1", "H1", "B1", 0},
		{"in B1, 楼栋长 not responsible", []string{"专职网格员", "网格长"}, 120.15, 31.15, "B1", "W11", "G11", 1},
		{"in B2 without a head", []string{"楼栋长", "专职网格员", "网格长"}, 120.35, 31.35, "B2", "W11", "G11", 1},
		{"between G11's buildings", []string{"楼栋长", "专职网格员", "网格长"}, 120.45, 31.9, "G11", "W11", "G11", 0},
		{"in B3, its 单元长 not responsible, G12 nobody", []string{"楼栋长", "专职网格员", "网格长"}, 120.65, 31.65, "B3", "L1", "T1", 2},
		{"between G12's buildings", []string{"楼栋长", "专职网格员", "网格长"}, 120.9, 31.1, "G12", "L1", "T1", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, func(o *incident.Options) { o.Roles = chengduRoles(tc.responsible...) })
			f.snap.Store(buildingSnapshot(t))
			if _, err := f.svc.ImportRoster(context.Background(), strings.NewReader(buildingRoster), "roster.csv"); err != nil {
				t.Fatal(err)
			}
			inc := f.report(t, tc.lon, tc.lat, "市容环境")
			if inc.Chain[0].Code != tc.first {
				t.Fatalf("chain %v, want it to start at %s", inc.Chain, tc.first)
			}
			f.act(t, inc.ID, incident.ActionRequest{Action: "assess"}, dispatcher)
			inc = f.act(t, inc.ID, incident.ActionRequest{Action: "dispatch"}, dispatcher)
			if inc.Assignee != tc.assignee || inc.AssigneeGrid != tc.grid || inc.Escalations != tc.escalations {
				t.Fatalf("dispatched to %s of %s (%d escalations), want %s of %s (%d)", inc.Assignee, inc.AssigneeGrid,
					inc.Escalations, tc.assignee, tc.grid, tc.escalations)
			}
			if tc.assignee != "H1" {
				return
			}
			// the building head escalates to the grid's worker above it
			inc = f.act(t, inc.ID, incident.ActionRequest{Action: "escalate"}, supervisor)
			if inc.Assignee != "W11" || inc.AssigneeGrid != "G11" || inc.Escalations != 1 {
				t.Fatalf("escalated to %s of %s (%d escalations), want W11 of G11 (1)", inc.Assignee, inc.AssigneeGrid, inc.Escalations)
			}
		})
	}
}

// TestRosterBuildings: a roster may name buildings of the version served
// like any grid; a building code the version lacks is refused naming its
// line.
func TestRosterBuildings(t *testing.T) {
	f := newFixture(t, func(o *incident.Options) { o.Roles = chengduRoles("楼栋长", "专职网格员") })
	f.snap.Store(buildingSnapshot(t))
	ctx := context.Background()
	if _, err := f.svc.ImportRoster(ctx, strings.NewReader(buildingRoster), "roster.csv"); err != nil {
		t.Fatal(err)
	}
	if p := f.svc.Roster().Of("B1"); len(p) != 1 || p[0].ID != "H1" || p[0].Role != "楼栋长" {
		t.Fatalf("B1's people: %+v", p)
	}
	bad := "grid,id,name,role,phone\nB1,H1,楼长甲,楼栋长,13800002001\nB9,H9,楼长丙,楼栋长,13800002009\n"
	_, err := f.svc.ImportRoster(ctx, strings.NewReader(bad), "bad.csv")
	var fe *incident.FieldError
	if !errors.As(err, &fe) || fe.Line != 3 || fe.Field != "grid" || strings.Contains(err.Error(), "13800002009") {
		t.Fatalf("roster naming building B9: %v, want a grid error on line 3 without the phone", err)
	}
}
