package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"github.com/gridmap/gridmap/catalog"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/sample"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
)

var (
	once    sync.Once
	baseURL string
	st      *store.Dir
	srvErr  error
)

// sampleStore makes a store in dir holding the bundled Jiangyin sample as
// its active version v1, and returns it with the directory the sample's
// layer files were extracted to.
func sampleStore(ctx context.Context, dir string) (*store.Dir, string, error) {
	layers := filepath.Join(dir, "sample")
	if err := os.MkdirAll(layers, 0o755); err != nil {
		return nil, "", err
	}
	s, err := store.OpenDir(filepath.Join(dir, "store"))
	if err != nil {
		return nil, "", err
	}
	paths, err := sample.Extract(layers)
	if err != nil {
		return nil, "", err
	}
	var srcs []importer.Source
	for _, p := range paths {
		srcs = append(srcs, importer.ParseSource(p))
	}
	d, _, err := importer.Import(ctx, srcs, nil, importer.Options{})
	if err != nil {
		return nil, "", err
	}
	if _, err := s.Publish(ctx, d, store.Meta{Who: "test"}, true); err != nil {
		return nil, "", err
	}
	return s, layers, nil
}

// start runs one real server on a loopback port for the whole test binary,
// serving the bundled Jiangyin sample.
func start(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		ctx := context.Background()
		st, _, srvErr = sampleStore(ctx, binaryDir("start"))
		if srvErr != nil {
			return
		}
		baseURL, srvErr = listen(ctx, catalog.Options{Store: st, Poll: -1}, server.Options{})
	})
	if srvErr != nil {
		t.Fatal(srvErr)
	}
	return baseURL
}

type chainElem struct {
	Layer      string         `json:"layer"`
	Code       string         `json:"code"`
	Name       string         `json:"name"`
	Properties map[string]any `json:"properties"`
}

type lookupAnswer struct {
	Lon     float64     `json:"lon"`
	Lat     float64     `json:"lat"`
	Version string      `json:"version"`
	Chain   []chainElem `json:"chain"`
}

func get(t *testing.T, url string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func TestLookupGet(t *testing.T) {
	base := start(t)
	code, _, body := get(t, base+"/api/v1/lookup?lon=120.285&lat=31.905")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	var a lookupAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	wantLayers := []string{"microgrids", "grids", "villages", "towns", "county"}
	if len(a.Chain) != len(wantLayers) {
		t.Fatalf("chain %+v", a.Chain)
	}
	for i, l := range wantLayers {
		if a.Chain[i].Layer != l || a.Chain[i].Code == "" || a.Chain[i].Name == "" {
			t.Errorf("chain[%d] = %+v, want layer %s", i, a.Chain[i], l)
		}
		if i > 0 && !strings.HasPrefix(a.Chain[i-1].Code, a.Chain[i].Code) {
			t.Errorf("chain[%d] %s does not nest in %s", i, a.Chain[i-1].Code, a.Chain[i].Code)
		}
	}
	if a.Version != "v1" || a.Lon != 120.285 || a.Lat != 31.905 {
		t.Errorf("answer %+v", a)
	}
	if a.Chain[4].Code != "320281" {
		t.Errorf("county %s", a.Chain[4].Code)
	}
	// outside every grid: 200 with an empty chain
	code, _, body = get(t, base+"/api/v1/lookup?lon=116.4&lat=39.9")
	if code != 200 || !bytes.Contains(body, []byte(`"chain":[]`)) {
		t.Errorf("outside: %d %s", code, body)
	}
}

func TestBadRequests(t *testing.T) {
	base := start(t)
	for _, tc := range []struct {
		name   string
		method string
		path   string
		ctype  string
		body   string
		status int
		param  string
		code   string
	}{
		{"no lon", "GET", "/api/v1/lookup?lat=31.9", "", "", 400, "lon", "bad_parameter"},
		{"no lat", "GET", "/api/v1/lookup?lon=120.2", "", "", 400, "lat", "bad_parameter"},
		{"empty", "GET", "/api/v1/lookup", "", "", 400, "lon", "bad_parameter"},
		{"text lon", "GET", "/api/v1/lookup?lon=abc&lat=31.9", "", "", 400, "lon", "bad_parameter"},
		{"nan", "GET", "/api/v1/lookup?lon=NaN&lat=31.9", "", "", 400, "lon", "bad_parameter"},
		{"inf", "GET", "/api/v1/lookup?lon=120&lat=Inf", "", "", 400, "lat", "bad_parameter"},
		{"lon range", "GET", "/api/v1/lookup?lon=181&lat=31.9", "", "", 400, "lon", "bad_parameter"},
		{"lat range", "GET", "/api/v1/lookup?lon=120&lat=-90.5", "", "", 400, "lat", "bad_parameter"},
		{"escaped junk", "GET", "/api/v1/lookup?lon=%zz&lat=1", "", "", 400, "lon", "bad_parameter"},
		{"hex float", "GET", "/api/v1/lookup?lon=0x1p-2&lat=31.9", "", "", 400, "lon", "bad_parameter"},
		{"underscore", "GET", "/api/v1/lookup?lon=120&lat=3_1.9", "", "", 400, "lat", "bad_parameter"},
		{"lon overflow", "GET", "/api/v1/lookup?lon=1e309&lat=31.9", "", "", 400, "lon", "bad_parameter"},
		{"empty layers", "GET", "/api/v1/lookup?lon=120.2&lat=31.9&layers=", "", "", 400, "layers", "bad_parameter"},
		{"no layer named", "GET", "/api/v1/lookup?lon=120.2&lat=31.9&layers=,%20,", "", "", 400, "layers", "bad_parameter"},
		{"tile z", "GET", "/tiles/x/1/1.mvt", "", "", 400, "z", "bad_parameter"},
		{"tile range", "GET", "/tiles/3/8/1.mvt", "", "", 400, "x", "bad_parameter"},
		{"tile zoom", "GET", "/tiles/99/1/1.mvt", "", "", 400, "z", "bad_parameter"},
		{"tile negative", "GET", "/tiles/3/-1/1.mvt", "", "", 400, "x", "bad_parameter"},
		{"tile y range", "GET", "/tiles/0/0/1.mvt", "", "", 400, "y", "bad_parameter"},
		{"tile minus zero", "GET", "/tiles/-0/0/0.mvt", "", "", 400, "z", "bad_parameter"},
		{"tile leading zero", "GET", "/tiles/00/0/0.mvt", "", "", 400, "z", "bad_parameter"},
		{"nearest hex", "GET", "/api/v1/lookup?lon=120.2&lat=31.9&nearest=0x1p4", "", "", 400, "nearest", "bad_parameter"},
		{"nearest underscore", "GET", "/api/v1/lookup?lon=120.2&lat=31.9&nearest=1_0", "", "", 400, "nearest", "bad_parameter"},
		{"tile suffix", "GET", "/tiles/3/1/1.png", "", "", 404, "", "not_found"},
		{"unknown path", "GET", "/nope", "", "", 404, "", "not_found"},
		{"post bad json", "POST", "/api/v1/lookup", "application/json", `{"points":[{"id":1,"lon":`, 400, "", "bad_input"},
		{"post not object", "POST", "/api/v1/lookup", "application/json", `[1,2]`, 400, "", "bad_input"},
		{"post no points", "POST", "/api/v1/lookup", "application/json", `{}`, 400, "points", "bad_input"},
		{"post a misspelt points", "POST", "/api/v1/lookup", "application/json", `{"pts":[]}`, 400, "pts", "unknown_member"},
		{"post crs in the body", "POST", "/api/v1/lookup", "application/json", `{"crs":"gcj02","points":[{"id":1,"lon":120.28,"lat":31.9}]}`, 400, "crs", "unknown_member"},
		{"post point no lat", "POST", "/api/v1/lookup", "application/json", `{"points":[{"id":"a","lon":120}]}`, 400, "lat", "bad_input"},
		{"post lon string", "POST", "/api/v1/lookup", "application/json", `{"points":[{"id":"a","lon":"x","lat":1}]}`, 400, "lon", "bad_input"},
		{"post range", "POST", "/api/v1/lookup", "application/json", `{"points":[{"id":"a","lon":500,"lat":1}]}`, 400, "lon", "bad_input"},
		{"post media type", "POST", "/api/v1/lookup", "application/xml", `<a/>`, 415, "Content-Type", "unsupported_media_type"},
		{"csv header", "POST", "/api/v1/lookup", "text/csv", "a,b,c\n1,2,3\n", 400, "id", "bad_input"},
		{"csv number", "POST", "/api/v1/lookup", "text/csv", "id,lon,lat\n1,x,3\n", 400, "lon", "bad_input"},
		{"ndjson bad", "POST", "/api/v1/lookup", "application/x-ndjson", "{\"id\":1,\"lon\":120,\"lat\":31}\n{oops\n", 400, "", "bad_input"},
		{"versions bad method", "DELETE", "/api/v1/versions", "", "", 405, "", "method_not_allowed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, base+tc.path, strings.NewReader(tc.body))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			e := server.MustProblem(t, tc.status, resp.StatusCode, resp.Header, b)
			if e.Param != tc.param {
				t.Errorf("param %q, want %q (%s)", e.Param, tc.param, b)
			}
			if e.Code != tc.code {
				t.Errorf("code %q, want %q (%s)", e.Code, tc.code, b)
			}
			if want := strings.SplitN(tc.path, "?", 2)[0]; e.Instance != want {
				t.Errorf("instance %q, want %q", e.Instance, want)
			}
		})
	}
}

func TestBatchFormats(t *testing.T) {
	base := start(t)
	pts := [][2]float64{{120.285, 31.905}, {116.4, 39.9}, {120.2596645, 31.8338531}}
	// single lookups are the reference
	var want []string
	for _, p := range pts {
		_, _, b := get(t, fmt.Sprintf("%s/api/v1/lookup?lon=%v&lat=%v", base, p[0], p[1]))
		var a lookupAnswer
		json.Unmarshal(b, &a)
		if len(a.Chain) > 0 {
			want = append(want, a.Chain[0].Code)
		} else {
			want = append(want, "")
		}
	}
	if want[2] != "320281004207001001" {
		t.Fatalf("truth point 2 answered %s", want[2])
	}
	post := func(ctype, body string) []byte {
		resp, err := http.Post(base+"/api/v1/lookup", ctype, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d %s", ctype, resp.StatusCode, b)
		}
		if resp.Header.Get("X-Gridmap-Version") != "v1" {
			t.Errorf("%s: version header %q", ctype, resp.Header.Get("X-Gridmap-Version"))
		}
		return b
	}
	t.Run("json", func(t *testing.T) {
		var sb strings.Builder
		sb.WriteString(`{"points":[`)
		for i, p := range pts {
			if i > 0 {
				sb.WriteString(",")
			}
			fmt.Fprintf(&sb, `{"id":"p%d","lon":%v,"lat":%v}`, i, p[0], p[1])
		}
		sb.WriteString("]}")
		var out struct {
			Version string `json:"version"`
			Results []struct {
				ID    string      `json:"id"`
				Chain []chainElem `json:"chain"`
			} `json:"results"`
		}
		b := post("application/json", sb.String())
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		if out.Version != "v1" || len(out.Results) != len(pts) {
			t.Fatalf("%s", b)
		}
		for i, r := range out.Results {
			got := ""
			if len(r.Chain) > 0 {
				got = r.Chain[0].Code
			}
			if r.ID != fmt.Sprintf("p%d", i) || got != want[i] {
				t.Errorf("result %d: id %s code %s, want %s", i, r.ID, got, want[i])
			}
		}
	})
	t.Run("ndjson", func(t *testing.T) {
		var sb strings.Builder
		for i, p := range pts {
			fmt.Fprintf(&sb, "{\"id\":%d,\"lon\":%v,\"lat\":%v}\n", i, p[0], p[1])
		}
		lines := strings.Split(strings.TrimSpace(string(post("application/x-ndjson", sb.String()))), "\n")
		if len(lines) != len(pts) {
			t.Fatalf("%d lines", len(lines))
		}
		for i, l := range lines {
			var r struct {
				ID    int         `json:"id"`
				Chain []chainElem `json:"chain"`
			}
			if err := json.Unmarshal([]byte(l), &r); err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(r.Chain) > 0 {
				got = r.Chain[0].Code
			}
			if r.ID != i || got != want[i] {
				t.Errorf("line %d: %s", i, l)
			}
		}
	})
	t.Run("csv", func(t *testing.T) {
		var sb strings.Builder
		sb.WriteString("id,lon,lat\n")
		for i, p := range pts {
			fmt.Fprintf(&sb, "%d,%v,%v\n", i, p[0], p[1])
		}
		recs, err := csv.NewReader(bytes.NewReader(post("text/csv", sb.String()))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(recs[0], ",") != "id,lon,lat,microgrids,grids,villages,towns,county" {
			t.Fatalf("header %v", recs[0])
		}
		for i, r := range recs[1:] {
			if r[3] != want[i] {
				t.Errorf("row %d: %v, want %s", i, r, want[i])
			}
		}
	})
}

func TestHealthVersionsPageTileJSON(t *testing.T) {
	base := start(t)
	for _, tc := range []struct {
		path  string
		ctype string
		has   string
	}{
		{"/healthz", "application/json", `"ok"`},
		{"/api/v1/versions", "application/json", `"active":"v1"`},
		{"/", "text/html", "<html"},
		{"/static/js/main.js", "text/javascript", "import"}, // a module script needs a JavaScript type
		{"/tiles.json", "application/json", `"tilejson":"3.0.0"`},
	} {
		code, h, b := get(t, base+tc.path)
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), tc.ctype) || !bytes.Contains(b, []byte(tc.has)) {
			t.Errorf("%s: %d %s %.200s", tc.path, code, h.Get("Content-Type"), b)
		}
	}
	var tj struct {
		Tiles        []string `json:"tiles"`
		VectorLayers []struct {
			ID      string `json:"id"`
			MinZoom int    `json:"minzoom"`
		} `json:"vector_layers"`
	}
	_, _, b := get(t, base+"/tiles.json")
	json.Unmarshal(b, &tj)
	if len(tj.Tiles) != 1 || !strings.HasPrefix(tj.Tiles[0], base+"/tiles/") || len(tj.VectorLayers) != 6 { // five grid layers and labels
		t.Fatalf("tilejson %s", b)
	}
}

// TestHead: every GET route answers HEAD with the GET's status and headers
// and no body.
func TestHead(t *testing.T) {
	base := start(t)
	for _, path := range []string{"/healthz", "/api/v1/versions", "/", "/tiles.json", "/tiles/12/3412/1663.mvt", "/api/v1/lookup?lon=120.28&lat=31.9", "/api/v1/lookup?lon=x&lat=1"} {
		g, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		g.Body.Close()
		h, err := http.Head(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(h.Body)
		h.Body.Close()
		if h.StatusCode != g.StatusCode || h.Header.Get("Content-Type") != g.Header.Get("Content-Type") || len(b) != 0 {
			t.Errorf("HEAD %s: %d %q %d bytes; GET: %d %q", path, h.StatusCode, h.Header.Get("Content-Type"), len(b), g.StatusCode, g.Header.Get("Content-Type"))
		}
	}
}

// TestBatchGzipBody: a gzip request body is read as such; an encoding the
// server cannot read is a 415 naming Content-Encoding, a body that is not
// the gzip it claims a 400.
func TestBatchGzipBody(t *testing.T) {
	base := start(t)
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write([]byte("id,lon,lat\na,120.2596645,31.8338531\n"))
	zw.Close()
	for _, tc := range []struct {
		enc    string
		body   []byte
		status int
		has    string
	}{
		{"gzip", zb.Bytes(), 200, "a,120.2596645,31.8338531,320281004207001001"},
		{"br", []byte("id,lon,lat\n"), 415, `"param":"Content-Encoding"`},
		{"gzip", []byte("id,lon,lat\n"), 400, `"param":"Content-Encoding"`},
	} {
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/lookup", bytes.NewReader(tc.body))
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Content-Encoding", tc.enc)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.status || !strings.Contains(string(b), tc.has) {
			t.Errorf("Content-Encoding %s: %d %s", tc.enc, res.StatusCode, b)
		}
	}
}
