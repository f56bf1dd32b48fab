package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/version"
	"io"
	"log"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/sample"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// tileServer serves tinyVersion "v1" on a loopback listener with opts; it
// returns the base URL, the server and its store.
func tileServer(t *testing.T, opts Options, build version.BuildOptions) (string, *Server, store.Store, *catalog.Catalog) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	st, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Publish(ctx, tinyVersion(t, "v1"), store.Meta{}, true); err != nil {
		t.Fatal(err)
	}
	base, srv, cat := listenTest(t, ctx, catalog.Options{Store: st, Poll: -1, Build: build}, opts)
	return base, srv, st, cat
}

// listenTest starts a test server of the catalog co on a loopback port
// until ctx ends and returns its base URL.
func listenTest(t *testing.T, ctx context.Context, co catalog.Options, opts Options) (string, *Server, *catalog.Catalog) {
	t.Helper()
	srv, cat, err := NewTestServer(ctx, co, opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ctx, ln)
	return "http://" + ln.Addr().String(), srv, cat
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

// fetch sends GET url with the given request headers, without the
// transport's transparent gzip.
func fetch(t *testing.T, url string, hdr ...string) answer {
	t.Helper()
	return send(t, http.MethodGet, url, "", hdr...)
}

// send sends method url with body and the given request headers (name,
// value pairs), without the transport's transparent gzip.
func send(t *testing.T, method, url, body string, hdr ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, b}
}

// townNames decodes an MVT body (gzipped when gz) and returns the names in
// its towns layer.
func townNames(t *testing.T, body []byte, gz bool) []string {
	t.Helper()
	if gz {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range layers {
		if l.Name != "towns" {
			continue
		}
		for _, f := range l.Features {
			if n, ok := f.Properties["name"].(string); ok {
				names = append(names, n)
			}
		}
	}
	return names
}

// tinyTile is the z9 tile that holds the west town of tinyVersion.
var tinyTile = maptile.At(orb.Point{120.5, 31.5}, 9)

func tilePath(version string) string {
	p := "/tiles/"
	if version != "" {
		p += "v/" + version + "/"
	}
	return p + "9/" + itoa(int(tinyTile.X)) + "/" + itoa(int(tinyTile.Y)) + ".mvt"
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestTileCachingHeaders(t *testing.T) {
	base, srv, st, cat := tileServer(t, Options{}, version.BuildOptions{})
	v1 := srv.Version()
	latest := base + tilePath("")

	gz := fetch(t, latest, "Accept-Encoding", "gzip")
	id := fetch(t, latest, "Accept-Encoding", "identity")
	for _, a := range []answer{gz, id} {
		if a.status != 200 || a.header.Get("Cache-Control") != "no-cache" || a.header.Get("X-Gridmap-Version") != v1 || a.header.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("latest tile: %d %v", a.status, a.header)
		}
	}
	if gz.header.Get("Content-Encoding") != "gzip" || id.header.Get("Content-Encoding") != "" {
		t.Errorf("encodings %q and %q", gz.header.Get("Content-Encoding"), id.header.Get("Content-Encoding"))
	}
	if gz.header.Get("ETag") == id.header.Get("ETag") || gz.header.Get("ETag") == "" {
		t.Errorf("gzip ETag %s, identity ETag %s: want two different ETags", gz.header.Get("ETag"), id.header.Get("ETag"))
	}
	if g, i := townNames(t, gz.body, true), townNames(t, id.body, false); len(g) == 0 || strings.Join(g, ",") != strings.Join(i, ",") || !strings.HasSuffix(g[0], " v1") {
		t.Errorf("towns: gzip %v, identity %v", g, i)
	}
	// 304 for the ETag of the same encoding, in a list or weak; 200 for the
	// ETag of the other encoding.
	tests := []struct {
		name, ae, inm string
		want          int
	}{
		{"gzip", "gzip", gz.header.Get("ETag"), 304},
		{"identity", "", id.header.Get("ETag"), 304},
		{"list", "gzip, deflate", `"x", ` + gz.header.Get("ETag"), 304},
		{"weak", "gzip", "W/" + gz.header.Get("ETag"), 304},
		{"star", "gzip", "*", 304},
		{"other encoding", "gzip", id.header.Get("ETag"), 200},
		{"gzip refused", "gzip;q=0", gz.header.Get("ETag"), 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := fetch(t, latest, "Accept-Encoding", tc.ae, "If-None-Match", tc.inm)
			if a.status != tc.want {
				t.Errorf("status %d, want %d", a.status, tc.want)
			}
			if tc.want == 304 && len(a.body) != 0 {
				t.Errorf("304 with a body of %d bytes", len(a.body))
			}
		})
	}

	// The versioned URL: same body, immutable.
	vz := fetch(t, base+tilePath(v1), "Accept-Encoding", "gzip")
	if vz.status != 200 || vz.header.Get("Cache-Control") != "public, max-age=31536000, immutable" || !bytes.Equal(vz.body, gz.body) {
		t.Fatalf("versioned tile: %d %v", vz.status, vz.header)
	}
	if a := fetch(t, base+tilePath(v1), "Accept-Encoding", "gzip", "If-None-Match", vz.header.Get("ETag")); a.status != 304 {
		t.Errorf("versioned revalidation: %d", a.status)
	}

	// A publish: the latest URL answers the new version with a new ETag,
	// the old versioned URL is a JSON 404, the new one works.
	ctx := context.Background()
	if _, err := st.Publish(ctx, tinyVersion(t, "v2"), store.Meta{}, true); err != nil {
		t.Fatal(err)
	}
	if err := cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	v2 := srv.Version()
	a := fetch(t, latest, "Accept-Encoding", "gzip", "If-None-Match", gz.header.Get("ETag"))
	if a.status != 200 || a.header.Get("ETag") == gz.header.Get("ETag") || a.header.Get("X-Gridmap-Version") != v2 {
		t.Fatalf("latest after publish: %d %v", a.status, a.header)
	}
	if n := townNames(t, a.body, true); len(n) == 0 || !strings.HasSuffix(n[0], " v2") {
		t.Errorf("latest after publish: towns %v, want v2 names", n)
	}
	old := fetch(t, base+tilePath(v1))
	if e, err := ProblemOf(old.status, old.header, old.body); old.status != 404 || err != nil || e.Code != "version_not_active" || !strings.Contains(e.Detail, v2) {
		t.Errorf("old versioned URL: %d %s", old.status, old.body)
	}
	if a := fetch(t, base+tilePath(v2)); a.status != 200 {
		t.Errorf("new versioned URL: %d", a.status)
	}
	if a := fetch(t, base+"/tiles/v/"+v2+"/9/1/2.png"); a.status != 404 {
		t.Errorf("versioned URL without .mvt: %d", a.status)
	}
	if a := fetch(t, base+"/tiles/v/"+v2+"/30/1/2.mvt"); a.status != 400 {
		t.Errorf("versioned URL with zoom 30: %d", a.status)
	}
}

func TestTileJSONURLs(t *testing.T) {
	base, srv, _, _ := tileServer(t, Options{}, version.BuildOptions{})
	v := srv.Version()
	host := strings.TrimPrefix(base, "http://")
	tests := []struct {
		name string
		hdr  []string
		want string
	}{
		{"direct", nil, "http://" + host},
		{"proxy", []string{"X-Forwarded-Host", "grid.example.gov.cn", "X-Forwarded-Proto", "https"}, "https://grid.example.gov.cn"},
		{"proxy chain", []string{"X-Forwarded-Host", "wall.example:8443, inner", "X-Forwarded-Proto", "HTTPS, http"}, "https://wall.example:8443"},
		{"bad forwarded host", []string{"X-Forwarded-Host", "evil/x?", "X-Forwarded-Proto", "gopher"}, "http://" + host},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := fetch(t, base+"/tiles.json", tc.hdr...)
			var tj tiles.TileJSON
			if err := json.Unmarshal(a.body, &tj); err != nil {
				t.Fatal(err)
			}
			if tj.Tiles[0] != tc.want+"/tiles/{z}/{x}/{y}.mvt" || !strings.HasPrefix(tj.VersionedTiles[0], tc.want+"/tiles/v/"+v+"/{z}/{x}/{y}.mvt?t=") || tj.Version != v {
				t.Errorf("tiles %v, versioned %v, version %q; want base %s", tj.Tiles, tj.VersionedTiles, tj.Version, tc.want)
			}
		})
	}
	pub, _, _, _ := tileServer(t, Options{Tiles: TileOptions{PublicURL: "https://intranet.example/gridmap/"}}, version.BuildOptions{})
	var tj tiles.TileJSON
	json.Unmarshal(fetch(t, pub+"/tiles.json", "X-Forwarded-Host", "other").body, &tj)
	if tj.Tiles[0] != "https://intranet.example/gridmap/tiles/{z}/{x}/{y}.mvt" {
		t.Errorf("with PublicURL: %v", tj.Tiles)
	}
}

// TestTileStats checks the counters of GET /api/v1/tiles/stats, one render
// for concurrent requests of one tile, and the report of an oversize tile.
func TestTileStats(t *testing.T) {
	var logBuf bytes.Buffer
	var mu sync.Mutex
	logger := log.New(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return logBuf.Write(p)
	}), "", 0)
	base, srv, _, _ := tileServer(t, Options{}, version.BuildOptions{Log: logger, Cache: tiles.CacheOptions{MaxTileBytes: 50}})
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if a := fetch(t, base+tilePath(""), "Accept-Encoding", "gzip"); a.status != 200 {
				t.Errorf("status %d", a.status)
			}
		}()
	}
	wg.Wait()
	var st tileStats
	if err := json.Unmarshal(fetch(t, base+"/api/v1/tiles/stats").body, &st); err != nil {
		t.Fatal(err)
	}
	if st.Version != srv.Version() || st.Hits+st.Misses != 12 || st.Misses-st.Shared != 1 || st.Tiles != 1 || st.Bytes <= 0 {
		t.Errorf("stats after 12 requests of one tile: %+v", st)
	}
	if st.OversizeCount != 1 || len(st.Oversize) != 1 || st.Oversize[0].Z != 9 || st.Oversize[0].X != int(tinyTile.X) || st.MaxTileBytes != 50 {
		t.Errorf("oversize: %+v", st)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logBuf.String(), "over the 50-byte cap") {
		t.Errorf("log: %q", logBuf.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// jiangyinServer serves the bundled Jiangyin sample on a loopback listener
// for benchmarks; it returns the base URL.
func jiangyinServer(b *testing.B) (string, *Server) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	dir := b.TempDir()
	st, err := store.OpenDir(filepath.Join(dir, "store"))
	if err != nil {
		b.Fatal(err)
	}
	paths, err := sample.Extract(dir)
	if err != nil {
		b.Fatal(err)
	}
	var srcs []importer.Source
	for _, p := range paths {
		srcs = append(srcs, importer.ParseSource(p))
	}
	d, _, err := importer.Import(ctx, srcs, nil, importer.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.Publish(ctx, d, store.Meta{}, true); err != nil {
		b.Fatal(err)
	}
	srv, _, err := NewTestServer(ctx, catalog.Options{Store: st, Poll: -1}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go srv.Serve(ctx, ln)
	return "http://" + ln.Addr().String(), srv
}

// BenchmarkTileHTTPCached compares cached tiles served by gridmap with the
// HTTP ceiling: a bare net/http handler on another loopback listener that
// writes the same gzipped bytes with the same headers from a map. Each
// iteration runs one round of benchClients keep-alive clients asking for the
// 9 z14 tiles around 澄江街道 against each server, alternating which goes
// first; it reports requests per second of both and their ratio. Loopback
// only; the load generator shares the CPUs with both servers.
func BenchmarkTileHTTPCached(b *testing.B) {
	const benchClients, perRound = 8, 4000
	base, _ := jiangyinServer(b)
	c := maptile.At(orb.Point{120.285, 31.905}, 14)
	var paths []string
	for dx := -1; dx <= 1; dx++ {
		for dy := -1; dy <= 1; dy++ {
			paths = append(paths, "/tiles/14/"+strconv.Itoa(int(c.X)+dx)+"/"+strconv.Itoa(int(c.Y)+dy)+".mvt")
		}
	}
	type stored struct {
		body []byte
		etag []string
	}
	bodies := map[string]stored{}
	for _, p := range paths {
		a := fetchB(b, base+p)
		bodies[p] = stored{a.body, []string{a.header.Get("ETag")}}
	}
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := bodies[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h["Content-Type"] = hdrMVT
		h["Cache-Control"] = hdrNoCache
		h["Vary"] = hdrVary
		h["Content-Encoding"] = hdrGzip
		h["Etag"] = s.etag
		h["Content-Length"] = []string{strconv.Itoa(len(s.body))}
		w.WriteHeader(http.StatusOK)
		w.Write(s.body)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: bare, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go hs.Serve(ln)
	b.Cleanup(func() { hs.Close() })
	bareBase := "http://" + ln.Addr().String()

	tr := &http.Transport{MaxIdleConnsPerHost: benchClients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	round := func(base string) time.Duration {
		var wg sync.WaitGroup
		var next atomic.Int64
		t0 := time.Now()
		for range benchClients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1)
					if i > perRound {
						return
					}
					req, _ := http.NewRequest("GET", base+paths[int(i)%len(paths)], nil)
					req.Header.Set("Accept-Encoding", "gzip")
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			}()
		}
		wg.Wait()
		return time.Since(t0)
	}
	round(base) // warm up connections
	round(bareBase)
	var gm, bh time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			gm += round(base)
			bh += round(bareBase)
		} else {
			bh += round(bareBase)
			gm += round(base)
		}
	}
	b.StopTimer()
	n := float64(b.N * perRound)
	b.ReportMetric(n/gm.Seconds(), "gridmap-req/s")
	b.ReportMetric(n/bh.Seconds(), "bare-req/s")
	b.ReportMetric(bh.Seconds()/gm.Seconds(), "gridmap/bare")
}

func fetchB(b *testing.B, url string) answer {
	b.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("%s: %d %v", url, resp.StatusCode, err)
	}
	return answer{resp.StatusCode, resp.Header, body}
}
