package storetest

import (
	"errors"
	"testing"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/staff"
)

// roster is a roster of n people over the fixture grids.
func roster(n int, source string) *staff.Roster {
	r := &staff.Roster{
		Version: staff.Version{Source: source, SHA256: "sha-" + source},
		Roles:   staff.DefaultRoles,
	}
	for i := range n {
		r.People = append(r.People, staff.Person{
			ID: "S" + string(rune('A'+i)), Name: "李四", Role: staff.DefaultRoles.Names[i%len(staff.DefaultRoles.Names)],
			Phone: "1390000000" + string(rune('0'+i%10)), Grid: chains[i%len(chains)][0].Code,
		})
	}
	return r
}

// testRosters: versions r1, r2… the newest active; each reads back whole.
func testRosters(t *testing.T, s incident.Store) {
	empty, err := s.Roster(ctx, "")
	if err != nil || len(empty.People) != 0 || empty.Version.ID != "" {
		t.Fatalf("active roster of an empty store: %+v, %v", empty, err)
	}
	if vs, err := s.Rosters(ctx); err != nil || len(vs) != 0 {
		t.Fatalf("rosters of an empty store: %v, %v", vs, err)
	}
	a, b := roster(7, "a.csv"), roster(3, "b.csv")
	va, err := s.PutRoster(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	vb, err := s.PutRoster(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if va.ID != "r1" || vb.ID != "r2" || !vb.Active || va.People != 7 || vb.Source != "b.csv" || vb.SHA256 != "sha-b.csv" || vb.Created.IsZero() {
		t.Fatalf("versions %+v, %+v", va, vb)
	}
	vs, err := s.Rosters(ctx)
	if err != nil || len(vs) != 2 || vs[0].ID != "r2" || !vs[0].Active || vs[1].Active {
		t.Fatalf("rosters: %+v, %v; want r2 (active), r1", vs, err)
	}
	for _, tc := range []struct {
		id   string
		want *staff.Roster
		v    staff.Version
	}{{"", b, vb}, {"r2", b, vb}, {"r1", a, func() staff.Version { v := va; v.Active = false; return v }()}} {
		got, err := s.Roster(ctx, tc.id)
		if err != nil {
			t.Fatalf("Roster %q: %v", tc.id, err)
		}
		same(t, "version of "+tc.id, got.Version, tc.v)
		same(t, "people of "+tc.id, got.People, tc.want.People)
		same(t, "roles of "+tc.id, got.Roles, tc.want.Roles)
	}
	if _, err := s.Roster(ctx, "r9"); !errors.Is(err, incident.ErrNotFound) {
		t.Fatalf("unknown roster: %v, want ErrNotFound", err)
	}
}
