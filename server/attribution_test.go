package server_test

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
	"github.com/paulmach/orb"
)

// TestAttribution: tiles.json and /api/v1/config credit the data as the
// version served records it (gridmap import --attribution; the bundled
// sample records its CC BY 4.0 source), else as Options.Attribution says.
func TestAttribution(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.OpenDir(filepath.Join(t.TempDir(), "store"))
	if err != nil {
		t.Fatal(err)
	}
	r := orb.Ring{{120.2, 31.8}, {120.3, 31.8}, {120.3, 31.9}, {120.2, 31.9}, {120.2, 31.8}}
	d, err := geo.NewDataset([]*geo.Layer{{Name: "county", Grids: []*geo.Grid{{Code: "320281", Name: "江阴市", Geom: orb.MultiPolygon{{r}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	const recorded, fallback = "Grids © Jiangyin Grid Office, CC BY 4.0", "Data: the operator's own"
	if _, err := st.Publish(ctx, d, store.Meta{Who: "test", Attribution: recorded}, true); err != nil {
		t.Fatal(err)
	}
	srv, cat, err := server.NewTestServer(ctx, catalog.Options{Store: st, Poll: -1}, server.Options{Attribution: fallback})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ctx, ln)
	base := "http://" + ln.Addr().String()
	credits := func() (tilejson, config string) {
		var tj, pc struct {
			Attribution string `json:"attribution"`
		}
		for _, x := range []struct {
			path string
			into any
		}{{"/tiles.json", &tj}, {"/api/v1/config", &pc}} {
			code, _, body := get(t, base+x.path)
			if err := json.Unmarshal(body, x.into); code != 200 || err != nil {
				t.Fatalf("%s: %d %v %s", x.path, code, err, body)
			}
		}
		return tj.Attribution, pc.Attribution
	}
	if tj, pc := credits(); tj != recorded || pc != recorded {
		t.Errorf("version recording a credit: tiles.json %q, config %q, want %q", tj, pc, recorded)
	}
	// a new version recording none: the configured credit
	if _, err := st.Publish(ctx, d, store.Meta{Who: "test"}, true); err != nil {
		t.Fatal(err)
	}
	if err := cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if tj, pc := credits(); tj != fallback || pc != fallback {
		t.Errorf("version recording none: tiles.json %q, config %q, want %q", tj, pc, fallback)
	}
}
