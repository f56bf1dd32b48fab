package router_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/router"
	"github.com/gridmap/gridmap/sample"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// simLayers are the layers of the simulation: the bundled sample without
// its county, so that the towns are the root layer and the shards' outlines
// are towns.
var simLayers = []string{"towns", "villages", "grids", "microgrids"}

// sim is two shards of the Jiangyin sample split by town, west and east,
// each a `gridmap serve` process, one more serving both (the answer a
// single gridmap holding the union gives), and the router in front of the
// shards.
type sim struct {
	union, router string
	// west and east are the towns of each shard; border holds the vertices
	// their outlines share (points exactly on the shards' border).
	west, east []*geojson.Feature
	border     []orb.Point
	bound      orb.Bound
}

// newSim builds the binary, splits the sample, imports and starts the
// three servers and the router.
func newSim(t *testing.T) *sim {
	t.Helper()
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "gridmap")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/gridmap").CombinedOutput(); err != nil {
		t.Fatalf("go build ../cmd/gridmap: %v\n%s", err, out)
	}
	src := filepath.Join(tmp, "src")
	os.MkdirAll(src, 0o755)
	if _, err := sample.Extract(src); err != nil {
		t.Fatal(err)
	}
	layers := map[string]*geojson.FeatureCollection{}
	for _, l := range simLayers {
		layers[l] = readFC(t, filepath.Join(src, l+".geojson"))
	}
	s := &sim{}
	towns := slices.Clone(layers["towns"].Features)
	slices.SortFunc(towns, func(a, b *geojson.Feature) int {
		return int((a.Geometry.Bound().Center()[0] - b.Geometry.Bound().Center()[0]) * 1e9)
	})
	s.west, s.east = towns[:len(towns)/2], towns[len(towns)/2:]
	s.border = sharedVertices(s.west, s.east)
	s.bound = layers["towns"].Features[0].Geometry.Bound()
	for _, f := range towns {
		s.bound = s.bound.Union(f.Geometry.Bound())
	}
	westURL := serve(t, bin, importPart(t, bin, filepath.Join(tmp, "west"), layers, codes(s.west)))
	eastURL := serve(t, bin, importPart(t, bin, filepath.Join(tmp, "east"), layers, codes(s.east)))
	s.union = serve(t, bin, importPart(t, bin, filepath.Join(tmp, "union"), layers, nil))
	targets := []router.Target{{Name: "west", URL: mustURL(t, westURL)}, {Name: "east", URL: mustURL(t, eastURL)}}
	r, err := router.New(context.Background(), targets, router.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(r)
	t.Cleanup(hs.Close)
	s.router = hs.URL
	return s
}

func readFC(t *testing.T, path string) *geojson.FeatureCollection {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return fc
}

func codes(fs []*geojson.Feature) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Properties.MustString("code"))
	}
	return out
}

// importPart writes the grids under the towns named (nil: all) and imports
// them into a new data dir, which it returns.
func importPart(t *testing.T, bin, dir string, layers map[string]*geojson.FeatureCollection, towns []string) string {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	args := []string{"import", "--data", filepath.Join(dir, "data")}
	for _, l := range simLayers {
		fc := geojson.NewFeatureCollection()
		for _, f := range layers[l].Features {
			code := f.Properties.MustString("code")
			if towns == nil || slices.ContainsFunc(towns, func(tc string) bool { return strings.HasPrefix(code, tc) }) {
				fc.Append(f)
			}
		}
		data, err := fc.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, l+".geojson")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, l+"="+path)
	}
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("gridmap import %s: %v\n%s", dir, err, out)
	}
	return filepath.Join(dir, "data")
}

// serve starts `gridmap serve` on data at a free loopback port, stopped
// when the test ends, and returns its URL once it is ready.
func serve(t *testing.T, bin, data string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var log bytes.Buffer
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", addr)
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		<-exited
		if t.Failed() {
			l := log.String()
			t.Logf("server %s log, last lines:\n%s", data, l[max(0, len(l)-4096):])
		}
	})
	base := "http://" + addr
	for {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("gridmap serve %s exited: %v\n%s", data, err, log.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// sharedVertices returns the ring vertices found in both sets of towns.
func sharedVertices(a, b []*geojson.Feature) []orb.Point {
	seen := map[orb.Point]bool{}
	eachVertex(a, func(p orb.Point) { seen[p] = true })
	var out []orb.Point
	eachVertex(b, func(p orb.Point) {
		if seen[p] {
			out = append(out, p)
			delete(seen, p)
		}
	})
	return out
}

func eachVertex(fs []*geojson.Feature, f func(orb.Point)) {
	for _, ft := range fs {
		var mp orb.MultiPolygon
		switch g := ft.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		}
		for _, poly := range mp {
			for _, r := range poly {
				for _, p := range r {
					f(p)
				}
			}
		}
	}
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
	b := s.bound.Pad(0.02)
	pts := make([]orb.Point, 0, n+len(s.border))
	for range n {
		pts = append(pts, orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])})
	}
	return append(pts, s.border...)
}

func lonLat(p orb.Point) string {
	return fmt.Sprintf("lon=%s&lat=%s", num(p[0]), num(p[1]))
}

func num(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
