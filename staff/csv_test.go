package staff_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/staff"
)

// TestReadCSV reads good rosters in both header languages and refuses bad
// ones with an error naming the line and column.
func TestReadCSV(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		people int
		line   int    // of the error; 0: none
		field  string // of the error
	}{
		{"english", "grid,id,name,role,phone\n3202811,S1,张三,网格长,13812345678\n3202811,S2,李四,专职网格员,0510-86001234\n", 2, 0, ""},
		{"chinese header, other order", "\ufeff姓名,工号,网格编码,角色,电话\n张三,S1,3202811,网格长,13812345678\n", 1, 0, ""},
		{"phone optional", "GRID,ID,NAME,ROLE\n3202811,S1,张三,志愿者\n", 1, 0, ""},
		{"empty phone", "grid,id,name,role,phone\n3202811,S1,张三,志愿者,\n", 1, 0, ""},
		{"same person two grids", "grid,id,name,role\n1,S1,张三,网格长\n2,S1,张三,网格长\n", 2, 0, ""},
		{"no rows", "grid,id,name,role\n", 0, 0, ""},
		{"empty file", "", 0, 1, "header"},
		{"missing column", "grid,id,name,phone\n1,S1,张三,123456\n", 0, 1, "role"},
		{"column twice", "grid,网格编码,id,name,role\n", 0, 1, "grid"},
		{"empty grid", "grid,id,name,role\n1,S1,张三,网格长\n,S2,李四,网格长\n", 0, 3, "grid"},
		{"empty name", "grid,id,name,role\n1,S1, ,网格长\n", 0, 2, "name"},
		{"short row", "grid,id,name,role\n1,S1\n", 0, 2, "name"},
		{"unknown role", "grid,id,name,role\n1,S1,张三,村长\n", 0, 2, "role"},
		{"bad phone letters", "grid,id,name,role,phone\n1,S1,张三,网格长,13812x45678\n", 0, 2, "phone"},
		{"bad phone short", "grid,id,name,role,phone\n1,S1,张三,网格长,1234\n", 0, 2, "phone"},
		{"duplicate id in grid", "grid,id,name,role\n1,S1,张三,网格长\n1,S1,张三,志愿者\n", 0, 3, "id"},
		{"bad quote", "grid,id,name,role\n1,S1,\"张三,网格长\n", 0, 2, "row"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := staff.ReadCSV(strings.NewReader(tc.in), staff.DefaultRoles)
			if tc.line == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if len(r.People) != tc.people || r.Version.People != tc.people || len(r.Version.SHA256) != 64 {
					t.Fatalf("%d people, version %+v; want %d", len(r.People), r.Version, tc.people)
				}
				return
			}
			var le *staff.LineError
			if !errors.As(err, &le) {
				t.Fatalf("error %v, want a *LineError", err)
			}
			if le.Line != tc.line || le.Field != tc.field {
				t.Fatalf("error %v: line %d field %q, want line %d field %q", err, le.Line, le.Field, tc.line, tc.field)
			}
		})
	}
}

// TestReadCSVKeepsPhonesOutOfErrors: an error about a row never repeats
// its phone number or name.
func TestReadCSVKeepsPhonesOutOfErrors(t *testing.T) {
	for _, in := range []string{
		"grid,id,name,role,phone\n1,S1,王小明,村长,13812345678\n",
		"grid,id,name,role,phone\n1,S1,王小明,网格长,1381234567x\n",
	} {
		_, err := staff.ReadCSV(strings.NewReader(in), staff.DefaultRoles)
		if err == nil {
			t.Fatalf("%q: no error", in)
		}
		if msg := err.Error(); strings.Contains(msg, "1381234567") || strings.Contains(msg, "王小明") {
			t.Fatalf("error shows personal data: %s", msg)
		}
	}
}

// TestReadCSVRoles: a place's own role names are the ones accepted, and
// bad role configurations are refused.
func TestReadCSVRoles(t *testing.T) {
	nanchang := staff.Roles{Names: []string{"网格长", "网格指导员", "网格督导员", "网格联络员", "网格员"}, Responsible: []string{"网格员", "网格长"}}
	if _, err := staff.ReadCSV(strings.NewReader("grid,id,name,role\n1,S1,张三,网格员\n"), nanchang); err != nil {
		t.Fatal(err)
	}
	if _, err := staff.ReadCSV(strings.NewReader("grid,id,name,role\n1,S1,张三,专职网格员\n"), nanchang); err == nil {
		t.Fatal("a role of another place was accepted")
	}
	for _, bad := range []staff.Roles{
		{},
		{Names: []string{"a", ""}},
		{Names: []string{"a", "a"}},
		{Names: []string{"a"}, Responsible: []string{"b"}},
	} {
		if _, err := staff.ReadCSV(strings.NewReader("grid,id,name,role\n"), bad); err == nil {
			t.Errorf("roles %+v accepted", bad)
		}
	}
}

// TestCheckGrids names the line of the first grid code unknown.
func TestCheckGrids(t *testing.T) {
	r, err := staff.ReadCSV(strings.NewReader("grid,id,name,role\n1,S1,张三,网格长\n9,S2,李四,网格长\n"), staff.DefaultRoles)
	if err != nil {
		t.Fatal(err)
	}
	err = r.CheckGrids(func(code string) bool { return code == "1" })
	var le *staff.LineError
	if !errors.As(err, &le) || le.Line != 3 || le.Field != "grid" {
		t.Fatalf("error %v, want line 3 grid", err)
	}
	if err := r.CheckGrids(func(string) bool { return true }); err != nil {
		t.Fatal(err)
	}
}
