package router_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/internal/shardsim"
	"github.com/gridmap/gridmap/router"
	"github.com/paulmach/orb"
)

// sim is the two shards of shardsim as processes, the union, and the
// router in this process (so that -race sees it) in front of the shards.
type sim struct {
	*shardsim.Deployment
	router string
}

// simTowns is the towns of the simulation: 4 of Jiangyin's 17, 2 a shard,
// which keeps the test's three imports and servers small.
const simTowns = 4

func newSim(t *testing.T) *sim {
	t.Helper()
	d, err := shardsim.Deploy(t.TempDir(), simTowns, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, p := range []*shardsim.Process{d.West, d.East, d.Union} {
				l := p.Log()
				t.Logf("%s, last output:\n%s", p.URL, l[max(0, len(l)-2048):])
			}
		}
		d.Stop()
	})
	targets := []router.Target{{Name: "west", URL: mustURL(t, d.West.URL)}, {Name: "east", URL: mustURL(t, d.East.URL)}}
	r, err := router.New(context.Background(), targets, router.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(r)
	t.Cleanup(hs.Close)
	return &sim{Deployment: d, router: hs.URL}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// get returns the body of GET base+path, failing on any status but 200.
func get(t *testing.T, base, path string) []byte {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s%s: %s: %s", base, path, resp.Status, body)
	}
	return body
}

// post returns the status and body of a batch POST to base's lookup with
// query (empty or ?…).
func post(t *testing.T, baseQuery, contentType string, body []byte) (int, []byte) {
	t.Helper()
	base, query, _ := strings.Cut(baseQuery, "?")
	if query != "" {
		query = "?" + query
	}
	resp, err := http.Post(base+"/api/v1/lookup"+query, contentType, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// points returns n seeded random points over the towns' bounding box and a
// margin outside it, then every vertex of the shards' shared border.
func (s *sim) points(seed uint64, n int) []orb.Point {
	rng := rand.New(rand.NewPCG(seed, seed))
	b := s.Bound.Pad(0.02)
	pts := make([]orb.Point, 0, n+len(s.Border))
	for range n {
		pts = append(pts, orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])})
	}
	return append(pts, s.Border...)
}

func lonLat(p orb.Point) string {
	return fmt.Sprintf("lon=%s&lat=%s", num(p[0]), num(p[1]))
}

func num(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
