package incidents

import (
	"fmt"
	"testing"

	"github.com/gridmap/gridmap/incident"
)

func TestIDIndex(t *testing.T) {
	for _, tc := range []struct {
		name string
		ids  []incident.ID
	}{
		{"dense from 1", []incident.ID{1, 2, 3, 4, 5}},
		{"sparse first, dense later", []incident.ID{1 << 40, 5, 1 << 17, 1, -3, 1<<17 + 1}},
		{"descending", []incident.ID{100, 99, 98, 0}},
	} {
		x := idIndex{sparse: map[incident.ID]int32{}}
		for i, id := range tc.ids {
			if _, ok := x.get(id); ok {
				t.Fatalf("%s: %d found before set", tc.name, id)
			}
			x.set(id, int32(i), i)
		}
		// grow dense past the sparse ids
		for id := incident.ID(1); id < 1<<18; id += 1000 {
			if _, ok := x.get(id); !ok {
				x.set(id, -5, 1<<18)
			}
		}
		for i, id := range tc.ids {
			if got, ok := x.get(id); !ok || got != int32(i) {
				t.Errorf("%s: id %d at %d, %v; want %d", tc.name, id, got, ok, i)
			}
		}
	}
}

func TestDictOverflow(t *testing.T) {
	var d dict
	for i := range 300 {
		name := fmt.Sprint("c", i)
		id := d.id(name)
		switch {
		case i < 255 && d.names[id] != name:
			t.Fatalf("%s numbered %d, named %s", name, id, d.names[id])
		case i >= 255 && (id != 255 || d.names[id] != Overflow):
			t.Fatalf("%s numbered %d (%s), want 255 (%s)", name, id, d.names[id], Overflow)
		}
	}
	if len(d.names) != 256 {
		t.Errorf("%d names", len(d.names))
	}
}
