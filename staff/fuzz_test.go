package staff_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/gridmap/gridmap/staff"
)

// FuzzReadCSV: any input gives a roster or a *LineError (or a wrapped
// read error), never a panic; a roster's people all have a grid, an id, a
// name and a known role.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(roster))
	f.Add([]byte("网格编码,工号,姓名,角色,电话\n1,S1,张三,网格长,138 1234 5678\n"))
	f.Add([]byte("grid,id,name,role\n1,S1,\"张\"\"三\",网格长\n"))
	f.Add([]byte("grid,id,name,role\n1,S1,张三,网格长,extra,fields\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := staff.ReadCSV(bytes.NewReader(data), staff.DefaultRoles)
		if err != nil {
			var le *staff.LineError
			if errors.As(err, &le) && le.Line < 1 {
				t.Fatalf("error with line %d: %v", le.Line, err)
			}
			return
		}
		for _, p := range r.People {
			if p.Grid == "" || p.ID == "" || p.Name == "" || p.Role == "" {
				t.Fatalf("incomplete person %+v", p)
			}
		}
	})
}
