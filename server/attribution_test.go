package server

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
)

// TestAttribution: tiles.json and /api/v1/config credit the data as
// Options.Attribution says when the version served records no credit, and
// as the version records it (gridmap import --attribution; the bundled
// sample records its CC BY 4.0 source) when it does.
func TestAttribution(t *testing.T) {
	const fallback, recorded = "Data: the operator's own", "Grids © Jiangyin Grid Office, CC BY 4.0"
	base, _, st, cat := tileServer(t, Options{Attribution: fallback}, version.BuildOptions{})
	credits := func() (tilejson, config string) {
		var tj, pc struct {
			Attribution string `json:"attribution"`
		}
		for _, x := range []struct {
			path string
			into any
		}{{"/tiles.json", &tj}, {"/api/v1/config", &pc}} {
			a := fetch(t, base+x.path)
			if err := json.Unmarshal(a.body, x.into); a.status != http.StatusOK || err != nil {
				t.Fatalf("%s: %d %v %s", x.path, a.status, err, a.body)
			}
		}
		return tj.Attribution, pc.Attribution
	}
	if tj, pc := credits(); tj != fallback || pc != fallback {
		t.Errorf("version recording none: tiles.json %q, config %q, want %q", tj, pc, fallback)
	}
	ctx := context.Background()
	if _, err := st.Publish(ctx, tinyVersion(t, "v2"), store.Meta{Who: "test", Attribution: recorded}, true); err != nil {
		t.Fatal(err)
	}
	if err := cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if tj, pc := credits(); tj != recorded || pc != recorded {
		t.Errorf("version recording a credit: tiles.json %q, config %q, want %q", tj, pc, recorded)
	}
}
