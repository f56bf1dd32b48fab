package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
)

// manifestAnswer is the part of a version's manifest the partial tests
// read.
type manifestAnswer struct {
	ID     string `json:"id"`
	Layers []struct {
		Name    string `json:"name"`
		Partial bool   `json:"partial"`
	} `json:"layers"`
}

// partialLayers returns the layers of m declared partial.
func (m manifestAnswer) partialLayers() []string {
	var out []string
	for _, l := range m.Layers {
		if l.Partial {
			out = append(out, l.Name)
		}
	}
	return out
}

// startEmpty runs a real server over an empty store of its own, with the
// admin token, until t ends, and returns its base URL.
func startEmpty(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	st, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	base, err := listen(ctx, catalog.Options{Store: st, Poll: -1}, server.Options{Auth: server.AuthOptions{AdminToken: adminToken}})
	if err != nil {
		t.Fatal(err)
	}
	return base
}

// TestImportPartial imports gridtest.Buildings into an empty store of a
// real server: refused with gaps when buildings are not declared partial,
// published when they are (the field comma-separated or repeated), a 400
// naming the field for a layer that does not exist; the new version's
// manifest, as the import answers it and as GET /api/v1/versions/{id}
// does, says which layers are partial.
func TestImportPartial(t *testing.T) {
	base := startEmpty(t)
	set := gridtest.Buildings()
	files := []part{{"county", "county.geojson", set["county"]}, {"grids", "grids.geojson", set["grids"]}, {"buildings", "buildings.geojson", set["buildings"]}}
	tests := []struct {
		name    string
		fields  []part
		status  int
		param   string   // the field a 400 names
		partial []string // the layers partial in the new version
	}{
		{"not declared: gaps refused", nil, http.StatusUnprocessableEntity, "", nil},
		{"unknown layer", []part{{field: "partial", value: "compounds"}}, http.StatusBadRequest, "partial", nil},
		{"unknown layer among known", []part{{field: "partial", value: "buildings"}, {field: "partial", value: "compounds"}}, http.StatusBadRequest, "partial", nil},
		{"declared", []part{{field: "partial", value: "buildings"}}, http.StatusCreated, "", []string{"buildings"}},
		{"comma-separated", []part{{field: "partial", value: "grids, buildings"}}, http.StatusCreated, "", []string{"grids", "buildings"}},
		{"repeated", []part{{field: "partial", value: "grids"}, {field: "partial", value: "buildings"}}, http.StatusCreated, "", []string{"grids", "buildings"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, h, body := post(t, base+"/api/v1/imports", adminToken, "", append(append([]part(nil), files...), tt.fields...)...)
			switch tt.status {
			case http.StatusBadRequest:
				if p := server.MustProblem(t, tt.status, code, h, body); p.Param != tt.param {
					t.Errorf("%s, want a 400 naming %s", body, tt.param)
				}
				return
			case http.StatusUnprocessableEntity:
				if p := server.MustProblem(t, tt.status, code, h, body); p.Code != "import_rejected" {
					t.Errorf("%s, want import_rejected", body)
				}
				return
			}
			if code != tt.status {
				t.Fatalf("status %d, want %d: %s", code, tt.status, body)
			}
			var m manifestAnswer
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			_, _, detail := get(t, base+h.Get("Location"))
			var again manifestAnswer
			if err := json.Unmarshal(detail, &again); err != nil {
				t.Fatalf("%v: %s", err, detail)
			}
			for _, got := range [][]string{m.partialLayers(), again.partialLayers()} {
				if !sameSet(got, tt.partial) {
					t.Errorf("partial layers %v, want %v: %s", got, tt.partial, body)
				}
			}
		})
	}
}

// TestImportPartialDiff: a dry run that replaces a partial layer without
// declaring it says, in its diff, that the layer stops being partial.
func TestImportPartialDiff(t *testing.T) {
	base := startEmpty(t)
	set := gridtest.Buildings()
	code, _, body := post(t, base+"/api/v1/imports", adminToken, "", part{"county", "county.geojson", set["county"]},
		part{"grids", "grids.geojson", set["grids"]}, part{"buildings", "buildings.geojson", set["buildings"]}, part{field: "partial", value: "grids,buildings"})
	if code != http.StatusCreated {
		t.Fatalf("status %d: %s", code, body)
	}
	code, _, body = post(t, base+"/api/v1/imports", adminToken, "", part{"grids", "grids.geojson", set["grids"]}, part{field: "dry_run", value: "true"})
	var a struct {
		Diff struct {
			Layers []struct {
				Layer         string `json:"layer"`
				Partial       bool   `json:"partial"`
				PartialChange string `json:"partial_change"`
			} `json:"layers"`
		} `json:"diff"`
	}
	if err := json.Unmarshal(body, &a); err != nil || code != http.StatusOK {
		t.Fatalf("status %d, %v: %s", code, err, body)
	}
	got := map[string]string{}
	for _, l := range a.Diff.Layers {
		got[l.Layer] = fmt.Sprintf("%v %s", l.Partial, l.PartialChange)
	}
	if got["grids"] != "false dropped" || got["buildings"] != "true " {
		t.Errorf("diff layers %v, want grids dropped, buildings still partial: %s", got, body)
	}
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[string]bool{}
	for _, s := range a {
		in[s] = true
	}
	for _, s := range b {
		if !in[s] {
			return false
		}
	}
	return true
}
