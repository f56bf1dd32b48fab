package staff_test

import (
	"strings"
	"testing"

	"github.com/gridmap/gridmap/staff"
)

const roster = `grid,id,name,role,phone
G1,S1,甲,志愿者,13800000001
G1,S2,乙,网格长,13800000002
G1,S3,丙,专职网格员,13800000003
G2,S4,丁,网格长,13800000004
G2,S1,甲,兼职网格员,13800000001
G3,S5,戊,志愿者,13800000005
`

// TestRoster checks Of, Person and Responsible, indexed and not.
func TestRoster(t *testing.T) {
	r, err := staff.ReadCSV(strings.NewReader(roster), staff.DefaultRoles)
	if err != nil {
		t.Fatal(err)
	}
	plain := &staff.Roster{Roles: r.Roles, People: r.People}
	for name, ro := range map[string]*staff.Roster{"indexed": r, "plain": plain} {
		t.Run(name, func(t *testing.T) {
			if got := ro.Of("G1"); len(got) != 3 || got[0].ID != "S1" || got[2].ID != "S3" {
				t.Errorf("Of(G1) = %+v", got)
			}
			if got := ro.Of("nope"); got != nil {
				t.Errorf("Of(nope) = %+v", got)
			}
			if p, ok := ro.Person("S1"); !ok || p.Grid != "G1" {
				t.Errorf("Person(S1) = %+v, %v", p, ok)
			}
			if _, ok := ro.Person("S9"); ok {
				t.Error("Person(S9) found")
			}
			for _, tc := range []struct{ grid, want string }{
				{"G1", "S3"}, // 专职网格员 before 网格长
				{"G2", "S4"}, // 网格长 before 兼职网格员
				{"G3", ""},   // a volunteer is not responsible
				{"G4", ""},
			} {
				p, ok := ro.Responsible(tc.grid, staff.DefaultRoles)
				if ok != (tc.want != "") || p.ID != tc.want {
					t.Errorf("Responsible(%s) = %s, %v; want %q", tc.grid, p.ID, ok, tc.want)
				}
			}
		})
	}
	var none *staff.Roster
	if none.Of("G1") != nil {
		t.Error("nil roster has people")
	}
	if _, ok := none.Responsible("G1", staff.DefaultRoles); ok {
		t.Error("nil roster has someone responsible")
	}
}

// TestMask covers phone and name masks.
func TestMask(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""}, {"1", "**"}, {"12", "**"}, {"123", "*23"}, {"1234567", "*****67"}, {"13812345678", "138****5678"},
	} {
		if got := staff.MaskPhone(tc.in); got != tc.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"", ""}, {"张", "张"}, {"张三丰", "张**"}, {"Ann", "A**"},
	} {
		if got := staff.MaskName(tc.in); got != tc.want {
			t.Errorf("MaskName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	p := staff.Person{Name: "张三", Phone: "13812345678"}.Masked()
	if p.Name != "张*" || p.Phone != "138****5678" {
		t.Errorf("Masked = %+v", p)
	}
	for _, tc := range []struct {
		role string
		want bool
	}{{"admin", true}, {"dispatcher", true}, {"supervisor", true}, {"grid_worker", false}, {"reader", false}, {"reporter", false}, {"", false}} {
		if got := staff.CanSeePersonal(tc.role); got != tc.want {
			t.Errorf("CanSeePersonal(%q) = %v", tc.role, got)
		}
	}
}
