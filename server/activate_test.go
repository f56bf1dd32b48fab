package server_test

import (
	"context"
	"github.com/gridmap/gridmap/catalog"
	"io"
	"net/http"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/tiles"
	"github.com/paulmach/orb"
)

// TestLabelLayerReserved keeps the importer's reserved layer name equal to
// the tiles' label layer.
func TestLabelLayerReserved(t *testing.T) {
	if importer.CheckLayerName(tiles.LabelLayer) == nil {
		t.Fatalf("the importer accepts a grid layer named %q, the tiles' label layer", tiles.LabelLayer)
	}
}

// TestActivateUnservable: a stored version that cannot be served (written
// past the importer, with a layer named like the tiles' label layer) is
// refused with a 422 and the active version stays as it was, in the store
// and on the wire.
func TestActivateUnservable(t *testing.T) {
	ctx := context.Background()
	st, _, err := sampleStore(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	base, err := listen(ctx, catalog.Options{Store: st, Poll: -1}, server.Options{AdminToken: adminToken})
	if err != nil {
		t.Fatal(err)
	}
	before, err := st.Active(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sq := orb.MultiPolygon{{{{120, 31}, {121, 31}, {121, 32}, {120, 32}, {120, 31}}}}
	d, err := geo.NewDataset([]*geo.Layer{geo.NewLayer(tiles.LabelLayer, []*geo.Grid{{Code: "1", Props: map[string]any{}, Geom: sq}})})
	if err != nil {
		t.Fatal(err)
	}
	m, err := st.Publish(ctx, d, store.Meta{Who: "test"}, false)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/versions/"+m.ID+"/activate", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if p, err := server.ProblemOf(res.StatusCode, res.Header, b); res.StatusCode != http.StatusUnprocessableEntity || err != nil || p.Code != "unservable" {
		t.Fatalf("activate %s: status %d %s, want 422 unservable (%v)", m.ID, res.StatusCode, b, err)
	}
	if after, _ := st.Active(ctx); after != before {
		t.Errorf("active version %s after the refused activation, was %s", after, before)
	}
	res, err = http.Get(base + "/api/v1/lookup?lon=120.28&lat=31.9")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if v := res.Header.Get("X-Gridmap-Version"); v != before {
		t.Errorf("serving %q, want %q", v, before)
	}
}
