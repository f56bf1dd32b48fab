package server_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/shard"
)

// TestOutline: GET /api/v1/outline gives the served version's root layer
// (the sample's county) with every coordinate as the store holds it.
func TestOutline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, _, err := sampleStore(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	base, err := listen(ctx, catalog.Options{Store: st, Poll: -1}, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(base + "/api/v1/outline")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/geo+json" || res.Header.Get("X-Gridmap-Version") == "" {
		t.Fatalf("%s, Content-Type %q, X-Gridmap-Version %q", res.Status, res.Header.Get("Content-Type"), res.Header.Get("X-Gridmap-Version"))
	}
	got, err := shard.ParseOutline(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.Active(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := st.Load(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	county := d.Layers[0]
	if county.Parent != "" || len(got) != len(county.Grids) {
		t.Fatalf("%d outline grids; root layer %s (parent %q) has %d", len(got), county.Name, county.Parent, len(county.Grids))
	}
	for i, g := range county.Grids {
		for j, poly := range g.Geom {
			for k, ring := range poly {
				for v, p := range ring {
					if got[i][j][k][v] != p {
						t.Fatalf("grid %s ring %d.%d vertex %d: %v, the store holds %v", g.Code, j, k, v, got[i][j][k][v], p)
					}
				}
			}
		}
	}
}
