package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/server"
	tileincidents "github.com/gridmap/gridmap/tiles/incidents"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// startIncidentTiles serves the sample with an incident tile source
// holding one incident at each of pts, located with the active version.
func startIncidentTiles(t *testing.T, pts []orb.Point) (string, *tileincidents.Source, []incident.Incident) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	st, _, err := sampleStore(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	src := tileincidents.New()
	srv, cat, err := server.NewTestServer(ctx, catalog.Options{Store: st, Poll: -1}, server.Options{IncidentTiles: src})
	if err != nil {
		t.Fatal(err)
	}
	snap := cat.Current()
	var incs []incident.Incident
	var hits []index.Hit
	for i, p := range pts {
		hits = snap.Index.AppendChains(hits[:0], p[0], p[1])
		inc := incident.Incident{ID: incident.ID(i + 1), Status: incident.Reported, Lon: p[0], Lat: p[1],
			Category: "市容环境", Source: "12345", Version: snap.Manifest.ID}
		for _, h := range hits { // finest first
			g := snap.Index.Grid(h)
			inc.Chain = append(inc.Chain, incident.Link{Layer: snap.Index.LayerName(h), Code: g.Code, Name: g.Name})
		}
		src.Put(inc)
		incs = append(incs, inc)
	}
	base, err := serveLoopback(ctx, srv)
	if err != nil {
		t.Fatal(err)
	}
	return base, src, incs
}

// tileURL returns the path of the incident tile of zoom z holding p.
func tileURL(p orb.Point, z int) string {
	tl := maptile.At(p, maptile.Zoom(z))
	return fmt.Sprintf("/tiles/incidents/%d/%d/%d.mvt", z, tl.X, tl.Y)
}

func TestIncidentTileAnswers(t *testing.T) {
	probe := orb.Point{120.285, 31.905}
	pts := []orb.Point{probe, {120.2851, 31.9051}, {120.30, 31.91}}
	base, _, _ := startIncidentTiles(t, pts)
	for _, r := range []apiRow{
		{name: "grids", method: "GET", target: tileURL(probe, 12), status: 200},
		{name: "grids gzip", method: "GET", target: tileURL(probe, 10), status: 200, header: []string{"Accept-Encoding: gzip"}},
		{name: "points", method: "GET", target: tileURL(probe, 15), status: 200},
		{name: "points filtered", method: "GET", target: tileURL(probe, 15) + "?status=reported,closed&category=市容环境", status: 200},
		{name: "filtered away", method: "GET", target: tileURL(probe, 15) + "?status=closed", status: 204},
		{name: "empty", method: "GET", target: tileURL(orb.Point{-70, -40}, 15), status: 204},
		{name: "HEAD", method: "HEAD", target: tileURL(probe, 15), status: 200},
		{name: "bad status", method: "GET", target: tileURL(probe, 15) + "?status=lost", status: 400, want: []string{"Content-Type: application/problem+json"}},
		{name: "unknown parameter", method: "GET", target: tileURL(probe, 15) + "?colour=red", status: 400},
		{name: "zoom too deep", method: "GET", target: "/tiles/incidents/23/0/0.mvt", status: 400},
		{name: "x outside", method: "GET", target: "/tiles/incidents/3/8/0.mvt", status: 400},
		{name: "y not a number", method: "GET", target: "/tiles/incidents/3/0/a.mvt", status: 400, bad: true},
		{name: "not mvt", method: "GET", target: "/tiles/incidents/3/0/0.png", status: 404, bad: true, unrouted: true},
	} {
		t.Run(r.name, func(t *testing.T) { r.run(t, base) })
	}
	// without a source
	plain := start(t)
	t.Run("no source", func(t *testing.T) {
		apiRow{name: "no source", method: "GET", target: tileURL(probe, 15), status: 503, want: []string{"Content-Type: application/problem+json"}}.run(t, plain)
	})
}

// getTile fetches url with gzip and an optional If-None-Match, and returns
// the answer's status, ETag and decoded layers.
func getTile(t *testing.T, url, inm string) (int, string, mvt.Layers) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	if inm != "" {
		req.Header.Set("If-None-Match", inm)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, resp.Header.Get("ETag"), nil
	}
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("%s: Content-Encoding %q, Cache-Control %q", url, resp.Header.Get("Content-Encoding"), resp.Header.Get("Cache-Control"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	ls, err := mvt.Unmarshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("ETag"), ls
}

func TestIncidentTileOverHTTP(t *testing.T) {
	probe := orb.Point{120.285, 31.905}
	base, src, incs := startIncidentTiles(t, []orb.Point{probe, {120.2852, 31.9052}})
	url := base + tileURL(probe, 15)
	status, etag, ls := getTile(t, url, "")
	if status != 200 || len(ls) != 1 || ls[0].Name != "incidents" || len(ls[0].Features) != 2 {
		t.Fatalf("status %d, layers %v", status, ls)
	}
	if status, _, _ := getTile(t, url, etag); status != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", status)
	}
	// grids: the micro grid counts both at z13's finest layer
	_, _, gl := getTile(t, base+tileURL(probe, 13), "")
	total := 0.0
	for _, f := range gl[0].Features {
		total += f.Properties["count"].(float64)
	}
	if total != 2 {
		t.Errorf("z13 grids count %v incidents, want 2", total)
	}
	// a status change changes the tile and its ETag
	inc := incs[0]
	inc.Status = incident.Closed
	src.Put(inc)
	status, etag2, ls := getTile(t, url, etag)
	if status != 200 || etag2 == etag {
		t.Fatalf("after a change: status %d, ETag %s (was %s)", status, etag2, etag)
	}
	for _, f := range ls[0].Features {
		if f.ID == float64(inc.ID) && f.Properties["status"] != "closed" {
			t.Errorf("changed incident drawn as %v", f.Properties)
		}
	}
}
