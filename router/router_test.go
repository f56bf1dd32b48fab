package router_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// TestRouterAnswersAsOneGridmap: two shards behind the router answer every
// point — random ones on both sides and outside, and every vertex of the
// shards' shared border — exactly as one gridmap holding both, singly and
// in batches of each format, merged in input order.
func TestRouterAnswersAsOneGridmap(t *testing.T) {
	s := newSim(t)
	if len(s.Border) < 10 {
		t.Fatalf("only %d shared border vertices: the split shares no border", len(s.Border))
	}
	const seed = 19
	t.Logf("seed %d, %d border vertices, towns west %d east %d", seed, len(s.Border), len(s.Split.West), len(s.Split.East))
	pts := s.points(seed, 400)

	t.Run("single", func(t *testing.T) {
		var west, east, none int
		for _, p := range pts {
			q := "/api/v1/lookup?" + lonLat(p)
			got, want := get(t, s.router, q), get(t, s.Union.URL, q)
			if string(got) != string(want) {
				t.Fatalf("%s: router %s\nunion %s", q, got, want)
			}
			switch {
			case strings.Contains(string(got), `"chain":[]`):
				none++
				// outside: the nearest grid may lie in either shard
				q += "&nearest=500"
				if got, want := get(t, s.router, q), get(t, s.Union.URL, q); string(got) != string(want) {
					t.Fatalf("%s: router %s\nunion %s", q, got, want)
				}
			case owns(s.Split.West, got):
				west++
			default:
				east++
			}
		}
		if west == 0 || east == 0 || none == 0 {
			t.Fatalf("points west %d, east %d, in none %d: want some of each", west, east, none)
		}
	})

	for _, tc := range []struct{ name, query, contentType, body string }{
		{"json", "", "application/json", jsonBatch(pts)},
		{"ndjson", "", "application/x-ndjson", ndjsonBatch(pts)},
		{"csv", "", "text/csv", csvBatch(pts)},
		{"csv boundary=5 layers", "?boundary=5&layers=towns,microgrids", "text/csv", csvBatch(pts)},
		{"json nearest=200", "?nearest=200", "application/json", jsonBatch(pts)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gs, got := post(t, s.router+tc.query, tc.contentType, []byte(tc.body))
			ws, want := post(t, s.Union.URL+tc.query, tc.contentType, []byte(tc.body))
			if gs != http.StatusOK || ws != http.StatusOK || string(got) != string(want) {
				t.Fatalf("router %d %.400s\nunion %d %.400s", gs, got, ws, want)
			}
		})
	}

	for _, tc := range []struct{ name, contentType, body string }{
		{"bad lon", "application/x-ndjson", `{"id":1,"lon":120.3,"lat":31.9}` + "\n" + `{"id":2,"lon":"x","lat":31.9}` + "\n"},
		{"csv without id", "text/csv", "lon,lat\n120.3,31.9\n"},
		{"json member", "application/json", `{"points":[],"crs":"gcj02"}`},
		{"empty", "application/x-ndjson", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gs, got := post(t, s.router, tc.contentType, []byte(tc.body))
			ws, want := post(t, s.Union.URL, tc.contentType, []byte(tc.body))
			if gs != ws || problemDetail(got) != problemDetail(want) {
				t.Fatalf("router %d %s\nunion %d %s", gs, got, ws, want)
			}
		})
	}
}

// owns reports whether the answer's chain holds one of the towns.
func owns(towns []*geojson.Feature, answer []byte) bool {
	for _, f := range towns {
		if strings.Contains(string(answer), fmt.Sprintf(`"code":"%s"`, f.Properties.MustString("code"))) {
			return true
		}
	}
	return false
}

// problemDetail is what two answers to bad input must share: the status
// and detail of a problem (not its request id), else the whole body.
func problemDetail(body []byte) string {
	var p struct {
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}
	if json.Unmarshal(body, &p) != nil || p.Detail == "" {
		return string(body)
	}
	return fmt.Sprint(p.Status, " ", p.Detail)
}

func jsonBatch(pts []orb.Point) string {
	var b strings.Builder
	b.WriteString(`{"points":[`)
	for i, p := range pts {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":%d,"lon":%s,"lat":%s}`, i, num(p[0]), num(p[1]))
	}
	b.WriteString("]}")
	return b.String()
}

func ndjsonBatch(pts []orb.Point) string {
	var b strings.Builder
	for i, p := range pts {
		fmt.Fprintf(&b, `{"id":"p%d","lon":%s,"lat":%s}`+"\n", i, num(p[0]), num(p[1]))
	}
	return b.String()
}

func csvBatch(pts []orb.Point) string {
	var b strings.Builder
	b.WriteString("id,lon,lat\n")
	for i, p := range pts {
		fmt.Fprintf(&b, "\"p,%d\",%s,%s\n", i, num(p[0]), num(p[1]))
	}
	return b.String()
}
