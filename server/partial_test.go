package server_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/staff"
)

// jinjiangServer serves Jinjiang's five layers, buildings partial (the
// catalog built once, jinjiangCatalog), on a loopback port, and returns its
// base URL and the set's directory.
func jinjiangServer(t *testing.T) (string, string) {
	t.Helper()
	dir := gridtest.NeedShared(t, "jinjiang")
	return startIncidentEnv(t, jinjiangCatalog(t), staff.Roles{}).base, dir
}

// partialElem is a chain element with the flags.
type partialElem struct {
	Layer     string  `json:"layer"`
	Code      string  `json:"code"`
	Boundary  bool    `json:"boundary"`
	Nearest   bool    `json:"nearest"`
	DistanceM float64 `json:"distance_m"`
}

// elemCodes returns "layer:code" of each element of a chain.
func elemCodes(chain []partialElem) string {
	var out []string
	for _, e := range chain {
		out = append(out, e.Layer+":"+e.Code)
	}
	return strings.Join(out, " ")
}

// getChain looks one point up with GET and the query rest.
func getChain(t *testing.T, base string, lon, lat, rest string) []partialElem {
	t.Helper()
	code, _, body := get(t, base+"/api/v1/lookup?lon="+lon+"&lat="+lat+rest)
	var a struct {
		Chain []partialElem `json:"chain"`
	}
	if err := json.Unmarshal(body, &a); code != 200 || err != nil {
		t.Fatalf("GET %s,%s%s: %d %v %s", lon, lat, rest, code, err, body)
	}
	return a.Chain
}

// postAnswer posts a batch body and returns the answer.
func postAnswer(t *testing.T, url, ctype string, body []byte) []byte {
	t.Helper()
	resp, err := http.Post(url, ctype, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: status %d %s", ctype, resp.StatusCode, b)
	}
	return b
}

// TestLookupPartialLayer serves Jinjiang and looks up every point of its
// points.csv with GET and with batches in JSON, NDJSON and CSV: inside, the
// row's building and its chain; gap, no building (an empty building column
// in CSV) and the grid's chain; outside, nothing. It checks nearest=M on
// points between buildings (the nearest building, marked, above the
// covering grid's chain; distance_m in CSV) and layers=buildings there
// (an empty chain).
func TestLookupPartialLayer(t *testing.T) {
	base, dir := jinjiangServer(t)
	raw, err := os.ReadFile(filepath.Join(dir, "points.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	pts := recs[1:] // id,lon,lat,kind,owners
	want := make([]string, len(pts))
	for i, r := range pts {
		chain := getChain(t, base, r[1], r[2], "")
		want[i] = elemCodes(chain)
		first := ""
		if len(chain) > 0 {
			first = chain[0].Layer
		}
		switch kind := r[3]; {
		case kind == "inside" && (first != "buildings" || !strings.Contains(r[4], chain[0].Code) || len(chain) != 5):
			t.Fatalf("point %s inside %s: %s", r[0], r[4], want[i])
		case kind == "gap" && (first != "grids" || len(chain) != 4):
			t.Fatalf("point %s in a gap: %s", r[0], want[i])
		case kind == "outside" && len(chain) != 0:
			t.Fatalf("point %s outside: %s", r[0], want[i])
		}
	}
	url := base + "/api/v1/lookup"
	t.Run("json", func(t *testing.T) {
		var sb strings.Builder
		sb.WriteString(`{"points":[`)
		for i, r := range pts {
			if i > 0 {
				sb.WriteString(",")
			}
			fmt.Fprintf(&sb, `{"id":%q,"lon":%s,"lat":%s}`, r[0], r[1], r[2])
		}
		sb.WriteString("]}")
		var out struct {
			Results []struct {
				ID    string        `json:"id"`
				Chain []partialElem `json:"chain"`
			} `json:"results"`
		}
		if err := json.Unmarshal(postAnswer(t, url, "application/json", []byte(sb.String())), &out); err != nil {
			t.Fatal(err)
		}
		for i, r := range out.Results {
			if r.ID != pts[i][0] || elemCodes(r.Chain) != want[i] {
				t.Fatalf("result %d (%s): %s, GET %s", i, r.ID, elemCodes(r.Chain), want[i])
			}
		}
	})
	t.Run("ndjson", func(t *testing.T) {
		var sb strings.Builder
		for _, r := range pts {
			fmt.Fprintf(&sb, "{\"id\":%q,\"lon\":%s,\"lat\":%s}\n", r[0], r[1], r[2])
		}
		lines := strings.Split(strings.TrimSpace(string(postAnswer(t, url, "application/x-ndjson", []byte(sb.String())))), "\n")
		for i, l := range lines {
			var r struct {
				ID    string        `json:"id"`
				Chain []partialElem `json:"chain"`
			}
			if err := json.Unmarshal([]byte(l), &r); err != nil || r.ID != pts[i][0] || elemCodes(r.Chain) != want[i] {
				t.Fatalf("line %d: %v %s, GET %s", i, err, l, want[i])
			}
		}
	})
	t.Run("csv", func(t *testing.T) {
		rows, col := postCSV(t, url, raw)
		for i, r := range rows {
			var codes []string
			for _, l := range []string{"buildings", "grids", "villages", "towns", "county"} {
				if c := r[col[l]]; c != "" {
					codes = append(codes, l+":"+c)
				}
			}
			if got := strings.Join(codes, " "); r[0] != pts[i][0] || got != want[i] {
				t.Fatalf("row %d: %v, GET %s", i, r, want[i])
			}
			if pts[i][3] == "gap" && r[col["buildings"]] != "" {
				t.Fatalf("row %d in a gap: building %q", i, r[col["buildings"]])
			}
		}
	})
	t.Run("nearest", func(t *testing.T) {
		rows, col := postCSV(t, url+"?nearest=40", raw)
		given := 0
		for i, r := range pts {
			if r[3] != "gap" {
				continue
			}
			chain := getChain(t, base, r[1], r[2], "&nearest=40")
			if len(chain) == 5 {
				given++
				if c := chain[0]; c.Layer != "buildings" || !c.Nearest || c.DistanceM <= 0 || c.DistanceM > 40 || elemCodes(chain[1:]) != want[i] || chain[1].Nearest {
					t.Fatalf("point %s, nearest=40: %+v, without nearest %s", r[0], chain, want[i])
				}
				if d := rows[i][col["distance_m"]]; d != fmt.Sprintf("%.2f", c32(chain[0].DistanceM)) || rows[i][col["buildings"]] != chain[0].Code {
					t.Fatalf("row %s, nearest=40: %v, GET %+v", r[0], rows[i], chain[0])
				}
			} else if elemCodes(chain) != want[i] || rows[i][col["distance_m"]] != "" {
				t.Fatalf("point %s, nearest=40, none near: %+v / %v", r[0], chain, rows[i])
			}
			if chain := getChain(t, base, r[1], r[2], "&layers=buildings"); len(chain) != 0 {
				t.Fatalf("point %s, layers=buildings: %+v", r[0], chain)
			}
		}
		t.Logf("%d gap points given a building within 40 m", given)
		if given == 0 {
			t.Fatal("no gap point near a building")
		}
		for i, r := range pts {
			if r[3] == "inside" && rows[i][col["distance_m"]] != "" {
				t.Fatalf("row %s inside: %v", r[0], rows[i])
			}
		}
	})
}

// c32 rounds v as the answers do: their distances are float32.
func c32(v float64) float64 { return float64(float32(v)) }

// postCSV posts a CSV batch and returns its rows and its columns by name.
func postCSV(t *testing.T, url string, body []byte) ([][]string, map[string]int) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(postAnswer(t, url, "text/csv", body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	if !slices.Contains(recs[0], "buildings") {
		t.Fatalf("header %v", recs[0])
	}
	return recs[1:], col
}
