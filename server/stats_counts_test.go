package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/stats"
)

// TestStatsCounts: fields=counts answers, for every grid of a layer, the
// total, open, overdue and closed counts of the full figures (every layer
// of the test point's chain); a bad fields value, or counts with a filter,
// is a 400 naming fields.
func TestStatsCounts(t *testing.T) {
	env := newIncidentEnv(t)
	for i := range 5 {
		env.report(t, "reporter", fmt.Sprintf(`{"lon":120.285,"lat":31.905,"category":"治安","source":"12345","external_ref":"c-%d"}`, i), http.StatusCreated)
	}
	env.report(t, "reporter", `{"lon":120.2,"lat":31.85,"category":"市容环境","source":"110"}`, http.StatusCreated)
	inc := env.report(t, "reporter", `{"lon":120.285,"lat":31.905,"category":"治安","source":"110"}`, http.StatusCreated)
	if status, b := env.act(t, "dispatcher", inc.ID, `{"action":"reject"}`); status != http.StatusOK {
		t.Fatalf("reject: %d %s", status, b)
	}
	for _, layer := range []string{"county", "towns", "villages", "grids", "microgrids", "nolayer"} {
		var full stats.Result
		env.getJSON(t, "", "/api/v1/stats?layer="+layer, &full)
		var got struct {
			Layer  string
			Counts []incident.GridCount
		}
		env.getJSON(t, "", "/api/v1/stats?fields=counts&layer="+layer, &got)
		if got.Layer != layer || len(got.Counts) != len(full.Grids) {
			t.Fatalf("fields=counts of %s: layer %q, %d grids; want %d grids", layer, got.Layer, len(got.Counts), len(full.Grids))
		}
		for i, g := range full.Grids {
			want := incident.GridCount{Code: g.Code, Total: g.Total, Open: g.Open, Overdue: g.Overdue, Closed: g.Closed}
			if got.Counts[i] != want {
				t.Errorf("fields=counts of %s, grid %d: %+v, want %+v", layer, i, got.Counts[i], want)
			}
		}
	}
	for _, q := range []string{"fields=some&layer=towns", "fields=counts&grid=" + env.chain[0], "fields=counts&layer=towns&from=2025-01-01T00:00:00Z",
		"fields=counts&layer=towns&category=治安", "fields=counts&layer=towns&source=110", "fields=counts&layer=towns&series=day"} {
		status, _, b := env.call(t, "", "GET", "/api/v1/stats?"+q, "")
		if status != http.StatusBadRequest || !strings.Contains(string(b), `"param":"fields"`) {
			t.Errorf("?%s: %d %s, want 400 naming fields", q, status, b)
		}
	}
}
