package server_test

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/server"
	"github.com/paulmach/orb"
)

type searchAnswer struct {
	Version string `json:"version"`
	Query   string `json:"query"`
	Results []struct {
		Layer  string     `json:"layer"`
		Code   string     `json:"code"`
		Name   string     `json:"name"`
		Level  string     `json:"level"`
		Bbox   [4]float64 `json:"bbox"`
		Center [2]float64 `json:"center"`
	} `json:"results"`
}

func search(t *testing.T, base, q, limit string) searchAnswer {
	t.Helper()
	v := url.Values{"q": {q}}
	if limit != "" {
		v.Set("limit", limit)
	}
	code, _, body := get(t, base+"/api/v1/search?"+v.Encode())
	if code != 200 {
		t.Fatalf("search %q: status %d: %s", q, code, body)
	}
	var a searchAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("search %q: %v: %s", q, err, body)
	}
	return a
}

func TestSearch(t *testing.T) {
	base := start(t)
	tests := []struct {
		name, q, limit string
		// want are the first results' codes, in order.
		want []string
		// wantLayers, when set, are the first results' layers, in order.
		wantLayers []string
		wantLen    int
	}{
		{name: "exact code", q: "320281001001001", want: []string{"320281001001001"}},
		{name: "code prefix coarse first", q: "320281001", want: []string{"320281001", "320281001001"},
			wantLayers: []string{"towns", "villages"}},
		{name: "full name", q: "文定社区第03网格", want: []string{"320281001001003"}, wantLayers: []string{"grids"}},
		{name: "name prefix coarse first", q: "文定社区", want: []string{"320281001001"}, wantLayers: []string{"villages", "grids"}},
		{name: "name contains", q: "第03网格第2微网格", wantLayers: []string{"microgrids"}},
		{name: "limit", q: "3202", limit: "3", wantLen: 3},
		{name: "default limit", q: "3202", wantLen: 10},
		{name: "spaces trimmed", q: "  320281  ", want: []string{"320281"}},
		{name: "nothing", q: "没有这个网格", wantLen: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := search(t, base, tc.q, tc.limit)
			if a.Version == "" {
				t.Error("no version")
			}
			if tc.wantLen != 0 || len(tc.want) == 0 && len(tc.wantLayers) == 0 {
				if len(a.Results) != tc.wantLen {
					t.Fatalf("%d results, want %d", len(a.Results), tc.wantLen)
				}
			}
			if len(a.Results) < max(len(tc.want), len(tc.wantLayers)) {
				t.Fatalf("results %+v, want at least %d", a.Results, max(len(tc.want), len(tc.wantLayers)))
			}
			for i, c := range tc.want {
				if a.Results[i].Code != c {
					t.Errorf("result %d code %s (%s), want %s", i, a.Results[i].Code, a.Results[i].Name, c)
				}
			}
			for i, l := range tc.wantLayers {
				if a.Results[i].Layer != l {
					t.Errorf("result %d layer %s, want %s", i, a.Results[i].Layer, l)
				}
			}
			for _, r := range a.Results {
				q := strings.ToLower(strings.TrimSpace(tc.q))
				if !strings.HasPrefix(r.Code, q) && !strings.Contains(strings.ToLower(r.Name), q) {
					t.Errorf("result %s %q does not match %q", r.Code, r.Name, tc.q)
				}
			}
		})
	}
}

// Every result's centre lies inside its bbox and is owned by the grid: a
// lookup there lists the grid in its chain. Checked over many grids of
// every layer, including the county, whose bbox centre is not guaranteed.
func TestSearchCentersInside(t *testing.T) {
	base := start(t)
	for _, q := range []string{"3202", "社区", "村", "街道", "镇", "微网格"} {
		a := search(t, base, q, "100")
		if len(a.Results) == 0 {
			t.Fatalf("no result for %q", q)
		}
		for _, r := range a.Results {
			b := r.Bbox
			c := orb.Point{r.Center[0], r.Center[1]}
			if !(orb.Bound{Min: orb.Point{b[0], b[1]}, Max: orb.Point{b[2], b[3]}}).Contains(c) {
				t.Errorf("%s: centre %v outside bbox %v", r.Code, c, b)
			}
			v := url.Values{"lon": {ftoa(c[0])}, "lat": {ftoa(c[1])}, "layers": {r.Layer}}
			_, _, body := get(t, base+"/api/v1/lookup?"+v.Encode())
			var la lookupAnswer
			if err := json.Unmarshal(body, &la); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			if len(la.Chain) == 0 || la.Chain[0].Code != r.Code {
				t.Errorf("%s %s: centre %v is in %+v", r.Layer, r.Code, c, la.Chain)
			}
		}
	}
}

func TestSearchBadRequests(t *testing.T) {
	base := start(t)
	for _, tc := range []struct{ name, query, param string }{
		{"no q", "", "q"},
		{"empty q", "q=", "q"},
		{"blank q", "q=%20%20", "q"},
		{"limit zero", "q=3202&limit=0", "limit"},
		{"limit negative", "q=3202&limit=-1", "limit"},
		{"limit text", "q=3202&limit=ten", "limit"},
		{"limit too big", "q=3202&limit=1000", "limit"},
		{"q too long", "q=" + strings.Repeat("网", 101), "q"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, h, body := get(t, base+"/api/v1/search?"+tc.query)
			if e := server.MustProblem(t, 400, code, h, body); e.Param != tc.param {
				t.Errorf("body %s, want param %q", body, tc.param)
			}
		})
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
