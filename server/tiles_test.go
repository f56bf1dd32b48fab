package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

func TestTileOverHTTP(t *testing.T) {
	base := start(t)
	tile := maptile.At(orb.Point{120.285, 31.905}, 15)
	url := base + "/tiles/15/" + strconv.Itoa(int(tile.X)) + "/" + strconv.Itoa(int(tile.Y)) + ".mvt"
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	layers, err := mvt.Unmarshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]int{}
	for _, l := range layers {
		found[l.Name] = len(l.Features)
		if l.Name == "labels" { // points with code, name, layer
			continue
		}
		for _, f := range l.Features {
			if f.ID == nil || f.Properties["code"] == nil || f.Properties["name"] == nil || f.Properties["level"] == nil {
				t.Errorf("layer %s: feature without id/code/name/level: %v %v", l.Name, f.ID, f.Properties)
			}
		}
	}
	if found["microgrids"] == 0 || found["county"] != 1 {
		t.Errorf("layers in z15 tile: %v", found)
	}
	etag := resp.Header.Get("ETag")
	req2, _ := http.NewRequest("GET", url, nil)
	req2.Header.Set("If-None-Match", etag)
	resp2, err := http.DefaultClient.Do(req2)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if etag == "" || resp2.StatusCode != http.StatusNotModified {
		t.Errorf("etag %q: revalidation status %d", etag, resp2.StatusCode)
	}
}
