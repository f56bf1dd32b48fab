package lookup_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/lookup"
	"github.com/gridmap/gridmap/lookup/decimal"
	"github.com/paulmach/orb"
)

func square(x0, y0, s float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x0 + s, y0}, {x0 + s, y0 + s}, {x0, y0 + s}, {x0, y0}}}}
}

// testEncoder indexes a county of two towns: A (west) and B (east) that
// share the border lon = 121, a second tree of one police beat over town A,
// with names that need escaping.
func testEncoder(t testing.TB) *lookup.Encoder {
	t.Helper()
	county := geo.NewLayer("county", []*geo.Grid{{Code: "1", Name: "县", Level: "county", Props: map[string]any{"code": "1"}, Geom: orb.MultiPolygon{{{{120, 31}, {122, 31}, {122, 32}, {120, 32}, {120, 31}}}}}})
	towns := geo.NewLayer("towns", []*geo.Grid{
		{Code: "11", Parent: "1", Name: `A "quoted", with comma`, Level: "town", Props: map[string]any{"code": "11", "households": 3.0}, Geom: square(120, 31, 1)},
		{Code: "12", Parent: "1", Name: "B\n<tag>", Level: "town", Props: map[string]any{"code": "12"}, Geom: square(121, 31, 1)},
	})
	beats := geo.NewLayer("beats", []*geo.Grid{{Code: "P1", Name: "beat", Props: map[string]any{}, Geom: square(120, 31, 1)}})
	return encoderOf(t, "v7", county, towns, beats)
}

// lookupOne answers one point with e and returns the decoded answer and
// its text.
func lookupOne(t *testing.T, e *lookup.Encoder, lon, lat float64, o *lookup.Options) (answer, []byte) {
	t.Helper()
	b, _ := e.AppendLookup(nil, nil, &lookup.Query{Lon: lon, Lat: lat, Options: o})
	var a answer
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return a, b
}

// encoderOf returns the encoder, for version v, of the dataset of layers.
func encoderOf(t testing.TB, v string, layers ...*geo.Layer) *lookup.Encoder {
	t.Helper()
	d, err := geo.NewDataset(layers)
	if err != nil {
		t.Fatal(err)
	}
	x, err := index.NewIndex(d)
	if err != nil {
		t.Fatal(err)
	}
	return lookup.NewEncoder(x, v)
}

type answer struct {
	Lon     float64 `json:"lon"`
	Lat     float64 `json:"lat"`
	CRS     string  `json:"crs"`
	WGS84   *struct{ Lon, Lat float64 }
	Version string `json:"version"`
	Chain   []struct {
		Layer     string         `json:"layer"`
		Code      string         `json:"code"`
		Name      string         `json:"name"`
		Props     map[string]any `json:"properties"`
		Boundary  bool           `json:"boundary"`
		Nearest   bool           `json:"nearest"`
		DistanceM float64        `json:"distance_m"`
	} `json:"chain"`
	Chains []struct {
		Root  string            `json:"root"`
		Chain []json.RawMessage `json:"chain"`
	} `json:"chains"`
}

func TestAppendLookup(t *testing.T) {
	e := testEncoder(t)
	for _, tc := range []struct {
		name     string
		lon, lat float64
		opts     *lookup.Options
		codes    []string
		boundary bool
		chains   int
	}{
		{"inside A", 120.5, 31.5, nil, []string{"11", "1"}, false, 2},
		{"inside B", 121.5, 31.5, nil, []string{"12", "1"}, false, 2},
		{"on the shared border goes east", 121, 31.5, nil, []string{"12", "1"}, true, 2},
		{"outside", 119, 31.5, nil, nil, false, 2},
		{"nearest", 119.99, 31.5, &lookup.Options{Query: index.Query{NearestM: 2000}}, []string{"11", "1"}, false, 2},
		{"towns only", 120.5, 31.5, &lookup.Options{Query: index.Query{Layers: []bool{false, false, true}}}, []string{"11"}, false, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := lookupOne(t, e, tc.lon, tc.lat, tc.opts)
			var codes []string
			for _, h := range a.Chain {
				codes = append(codes, h.Code)
			}
			if strings.Join(codes, ",") != strings.Join(tc.codes, ",") {
				t.Fatalf("chain %v, want %v (%s)", codes, tc.codes, b)
			}
			if len(a.Chain) > 0 && a.Chain[0].Boundary != tc.boundary {
				t.Errorf("boundary %v (%s)", a.Chain[0].Boundary, b)
			}
			if len(a.Chains) != tc.chains {
				t.Errorf("%d chains (%s)", len(a.Chains), b)
			}
			if a.Version != "v7" || a.Lon != tc.lon || a.Lat != tc.lat {
				t.Errorf("%s", b)
			}
			if tc.name == "nearest" && (!a.Chain[0].Nearest || a.Chain[0].DistanceM < 900 || a.Chain[0].DistanceM > 1000) {
				t.Errorf("nearest: %s", b)
			}
		})
	}
}

func TestGCJ02Input(t *testing.T) {
	e := testEncoder(t)
	w := orb.Point{120.5, 31.5}
	g := crs.GCJ02.FromWGS84(w)
	b, _ := e.AppendLookup(nil, nil, &lookup.Query{Lon: g[0], Lat: g[1], Options: &lookup.Options{CRS: crs.GCJ02}})
	var a answer
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if a.CRS != "gcj02" || a.WGS84 == nil || abs(a.WGS84.Lon-w[0]) > 1e-8 || abs(a.WGS84.Lat-w[1]) > 1e-8 {
		t.Fatalf("%s", b)
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func TestAppendLookupAllocs(t *testing.T) {
	e := testEncoder(t)
	b := make([]byte, 0, 4096)
	hits := make([]index.Hit, 0, 16)
	q := &lookup.Query{Lon: 120.5, Lat: 31.5, LonText: "120.5", LatText: "31.50"}
	b, hits = e.AppendLookup(b[:0], hits, q)
	if n := testing.AllocsPerRun(100, func() { b, hits = e.AppendLookup(b[:0], hits, q) }); n != 0 {
		t.Errorf("%v allocations per lookup", n)
	}
}

func TestBatchFormats(t *testing.T) {
	e := testEncoder(t)
	for _, tc := range []struct {
		name string
		f    lookup.Format
		in   string
		want []string // per point, the finest code of the first chain
	}{
		{"json", lookup.JSON, `{"points":[{"id":"a","lon":120.5,"lat":31.5},{"id":2,"lon":121.5,"lat":31.5},{"lat":31.5,"lon":119,"id":null}]}`, []string{"11", "12", ""}},
		{"json extra point members", lookup.JSON, `{"points":[{"id":"a","lon":120.5,"lat":31.5,"extra":{"x":[1,2]}}]}`, []string{"11"}},
		{"ndjson", lookup.NDJSON, "{\"id\":\"a\",\"lon\":120.5,\"lat\":31.5}\r\n\n{ \"lat\" : 31.5 , \"lon\" : 121.5 , \"id\" : \"esc\\\"aped\" }\n{\"id\":3,\"lon\":1.2e2,\"lat\":3.15E1}", []string{"11", "12", "11"}},
		{"csv", lookup.CSV, "\ufeffid,lon,lat\na,120.5,31.5\n\"b,1\",121.5,31.5\nc,119,31.5\n", []string{"11", "12", ""}},
		{"csv reordered columns", lookup.CSV, "lat,id,lon,extra\n31.5,a,120.5,x\n", []string{"11"}},
		{"csv bom quoted header crlf", lookup.CSV, "\ufeff\"id\",\"lon\",\"lat\"\r\n\"a\",\"120.5\",\" 31.5\"\r\n", []string{"11"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			n, err := e.Batch(strings.NewReader(tc.in), &out, tc.f, nil)
			if err != nil {
				t.Fatalf("%v: %s", err, out.Bytes())
			}
			if n != len(tc.want) {
				t.Fatalf("%d points answered, want %d", n, len(tc.want))
			}
			var got []string
			switch tc.f {
			case lookup.JSON:
				var a struct {
					Version string `json:"version"`
					Results []answer
				}
				if err := json.Unmarshal(out.Bytes(), &a); err != nil {
					t.Fatalf("%v: %s", err, out.Bytes())
				}
				for _, r := range a.Results {
					got = append(got, first(r))
				}
			case lookup.NDJSON:
				for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
					var a answer
					if err := json.Unmarshal([]byte(l), &a); err != nil {
						t.Fatalf("%v: %s", err, l)
					}
					got = append(got, first(a))
				}
			case lookup.CSV:
				recs, err := csv.NewReader(&out).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if strings.Join(recs[0], ",") != "id,lon,lat,towns,county,beats" {
					t.Fatalf("header %v", recs[0])
				}
				for _, r := range recs[1:] {
					got = append(got, r[3])
				}
				if tc.name == "csv" && recs[2][0] != "b,1" {
					t.Errorf("id %q", recs[2][0])
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %v, want %v: %s", got, tc.want, out.Bytes())
			}
		})
	}
}

func first(a answer) string {
	if len(a.Chain) == 0 {
		return ""
	}
	return a.Chain[0].Code
}

func TestBatchErrors(t *testing.T) {
	e := testEncoder(t)
	for _, tc := range []struct {
		name  string
		f     lookup.Format
		in    string
		index int
		line  int
		field string
	}{
		{"json lat missing", lookup.JSON, `{"points":[{"id":1,"lon":120.5,"lat":31.5},{"id":2,"lon":120}]}`, 1, 1, "lat"},
		{"json lat missing, one point per line", lookup.JSON, "{\"points\": [\n  {\"id\":1,\"lon\":120.5,\"lat\":31.5},\r\n\n  {\"id\":2,\n \"lon\":120}\n]}", 1, 4, "lat"},
		{"json bad value, pretty-printed", lookup.JSON, "{\n \"points\": [\n  {\n   \"id\": 1,\n   \"lon\": 120.5,\n   \"lat\": 31.5\n  },\n  {\n   \"id\": 2,\n   \"lon\": 12x\n  }\n ]\n}\n", 1, 10, ""},
		{"json lon string", lookup.JSON, `{"points":[{"id":1,"lon":"120.5","lat":31.5}]}`, 0, 1, "lon"},
		{"json truncated", lookup.JSON, `{"points":[{"id":1,"lon":120.5,`, 0, 1, ""},
		{"json not object", lookup.JSON, "\n\n\"points\"", 0, 3, ""},
		{"ndjson bad line", lookup.NDJSON, "{\"id\":1,\"lon\":120.5,\"lat\":31.5}\n\n{\"id\":2,\"lon\":1", 1, 3, ""},
		{"ndjson range", lookup.NDJSON, "{\"id\":1,\"lon\":120.5,\"lat\":95}\n", 0, 1, "lat"},
		{"ndjson nan", lookup.NDJSON, "{\"id\":1,\"lon\":NaN,\"lat\":31}\n", 0, 1, ""},
		{"ndjson trailing comma", lookup.NDJSON, "{\"id\":1,\"lon\":120.5,\"lat\":31.5,}\n", 0, 1, ""},
		{"ndjson trailing comma, spaced", lookup.NDJSON, "{ \"id\":1, \"lon\":120.5, \"lat\":31.5 , }\n", 0, 1, ""},
		{"ndjson no-break space", lookup.NDJSON, "{\"id\":1,\"lon\":120.5,\"lat\":31.5}\u00a0\n", 0, 1, ""},
		{"ndjson control character in a key", lookup.NDJSON, "{\"\r\":0,\"lon\":120.5,\"lat\":31.5}\n", 0, 1, ""},
		{"ndjson LON is not lon", lookup.NDJSON, "{\"id\":\"\\u0061\",\"LON\":120.5,\"lat\":31.5}\n", 0, 1, "lon"},
		{"json missing comma", lookup.JSON, "{\"points\":[\n{\"id\":\"a\",\"lon\":120.5,\"lat\":31.5}\n{\"id\":\"b\",\n\"lon\":120.5,\n\"lat\":31.5}]}", 1, 3, ""},
		{"json missing colon", lookup.JSON, "{\"other\"\n 1, \"points\":[]}", 0, 2, "other"},
		{"json crs in the body", lookup.JSON, "{\"points\":[{\"id\":1,\"lon\":120.5,\"lat\":31.5}],\n\"crs\":\"gcj02\"}", 1, 2, "crs"},
		{"json unknown member first", lookup.JSON, `{"layers":["grids"],"points":[{"id":1,"lon":120.5,"lat":31.5}]}`, 0, 1, "layers"},
		{"json lat null", lookup.JSON, `{"points":[{"id":"n","lon":120.5,"lat":null}]}`, 0, 1, "lat"},
		{"ndjson lon null", lookup.NDJSON, "{\"id\":1,\"lon\":null,\"lat\":31.5}\n", 0, 1, "lon"},
		{"json data after the object", lookup.JSON, "{\"points\":[{\"id\":1,\"lon\":120.5,\"lat\":31.5}]}\n{\"points\":[]}", 1, 2, ""},
		{"json garbage after the object", lookup.JSON, `{"points":[{"id":1,"lon":120.5,"lat":31.5}]} x`, 1, 1, ""},
		{"csv no header", lookup.CSV, "", 0, 1, ""},
		{"csv missing column", lookup.CSV, "id,lon\n1,2\n", 0, 1, "lat"},
		{"csv short row", lookup.CSV, "id,lon,lat\n1,120\n", 0, 2, "lat"},
		{"csv bad number", lookup.CSV, "id,lon,lat\n1,120.5,31.5\n2,east,31\n", 1, 3, "lon"},
		{"csv bad quote", lookup.CSV, "id,lon,lat\n\"1,120.5,31.5\n", 0, 2, ""},
		{"csv underscore", lookup.CSV, "id,lon,lat\n1,1_20.5,31.5\n", 0, 2, "lon"},
		{"csv hex float", lookup.CSV, "id,lon,lat\n1,120.5,0x1p5\n", 0, 2, "lat"},
		{"csv inf", lookup.CSV, "id,lon,lat\n1,Inf,31.5\n", 0, 2, "lon"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := e.Batch(strings.NewReader(tc.in), &out, tc.f, nil)
			var ie *lookup.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err %v, want an InputError", err)
			}
			if ie.Index != tc.index || ie.Line != tc.line || ie.Field != tc.field {
				t.Errorf("error %+v, want index %d line %d field %q", ie, tc.index, tc.line, tc.field)
			}
			if tc.f == lookup.JSON {
				var v map[string]any
				if err := json.Unmarshal(out.Bytes(), &v); err != nil || v["error"] == nil {
					t.Errorf("JSON answer with an error trailer is not valid JSON: %v %s", err, out.Bytes())
				}
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]lookup.Format{"": lookup.JSON, "application/json; charset=utf-8": lookup.JSON, "application/x-ndjson": lookup.NDJSON, "text/csv": lookup.CSV} {
		if f, err := lookup.ParseFormat(in); err != nil || f != want {
			t.Errorf("ParseFormat(%q) = %v, %v", in, f, err)
		}
	}
	for _, in := range []string{"text/plain", "application/xml", ";;"} {
		if _, err := lookup.ParseFormat(in); !errors.Is(err, lookup.ErrUnsupportedFormat) {
			t.Errorf("ParseFormat(%q) = %v", in, err)
		}
	}
}

// TestAppendLookupTextSameBytes: echoing the client's text gives the answer
// of the point without its text, byte for byte, whatever the spelling.
func TestAppendLookupTextSameBytes(t *testing.T) {
	e := testEncoder(t)
	for _, tc := range [][2]string{{"120.5", "31.5"}, {"120.50", "31.500"}, {"+120.5", " 31.5"}, {"120.5e0", "3.15e1"},
		{"-0", "0"}, {"0.00001", "0.0001"}, {"121", "31.25"}} {
		lon, _ := decimal.Parse(tc[0])
		lat, _ := decimal.Parse(tc[1])
		want, _ := e.AppendLookup(nil, nil, &lookup.Query{Lon: lon, Lat: lat})
		got, _ := e.AppendLookup(nil, nil, &lookup.Query{Lon: lon, Lat: lat, LonText: tc[0], LatText: tc[1]})
		if string(got) != string(want) {
			t.Errorf("%q: %s\nwant %s", tc, got, want)
		}
	}
}

// TestBatchJSONErrorLineAfterLongPoint: a bad point that starts megabytes
// before its fault still gets its line (the line reader keeps the value
// being read, however long).
func TestBatchJSONErrorLineAfterLongPoint(t *testing.T) {
	e := testEncoder(t)
	head := "{\"points\":[\n{\"id\":1,\"lon\":120.5,\"lat\":31.5},\n"
	for _, tc := range []struct {
		name, point string
		line        int
	}{
		{"lat missing after 3 MB of newlines", "{\"id\":\"bad\"," + strings.Repeat("\n", 3<<20) + "\"lon\":120.5}]}", 3},
		{"syntax error after a 3 MB id", "{\"id\":\"" + strings.Repeat("x", 3<<20) + "\",\n\"lon\":120.5,\n\"lat\" 31.5}]}", 5},
	} {
		_, err := e.Batch(strings.NewReader(head+tc.point), io.Discard, lookup.JSON, nil)
		var ie *lookup.InputError
		if !errors.As(err, &ie) || ie.Index != 1 || ie.Line != tc.line {
			t.Errorf("%s: err %v, want point 1 on line %d", tc.name, err, tc.line)
		}
	}
}

// TestBatchJSONErrorLineFarIn places a bad point deep in a JSON batch of one
// point per line, past the windows the line count keeps.
func TestBatchJSONErrorLineFarIn(t *testing.T) {
	e := testEncoder(t)
	var in strings.Builder
	in.WriteString("{\"points\":[\n")
	const bad = 90_000
	for i := 0; i < 100_000; i++ {
		if i > 0 {
			in.WriteString(",\n")
		}
		if i == bad {
			in.WriteString(`{"id":"bad","lon":120.5,"lat":3x}`)
			continue
		}
		in.WriteString(`{"id":"p` + strconv.Itoa(i) + `","lon":120.123456789,"lat":31.123456789}`)
	}
	in.WriteString("\n]}\n")
	_, err := e.Batch(strings.NewReader(in.String()), io.Discard, lookup.JSON, nil)
	var ie *lookup.InputError
	if !errors.As(err, &ie) || ie.Index != bad || ie.Line != bad+2 {
		t.Fatalf("err %v, want point %d on line %d", err, bad, bad+2)
	}
}

// TestBatchCSVQuotedLineBreaks: a quoted field may hold line breaks
// (RFC 4180); the record goes on over the next lines, its id is echoed
// quoted, and an error names the line where the record starts.
func TestBatchCSVQuotedLineBreaks(t *testing.T) {
	e := testEncoder(t)
	in := "id,lon,lat\n\"first\nsecond, \"\"line\"\"\",120.5,31.5\nplain,121.5,31.5\n\"x\r\ny\",\"120.5\",31.5\n"
	var out bytes.Buffer
	n, err := e.Batch(strings.NewReader(in), &out, lookup.CSV, nil)
	if err != nil || n != 3 {
		t.Fatalf("answered %d, err %v; answer %q", n, err, out.String())
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := []string{"first\nsecond, \"line\"", "plain", "x\ny"}
	wantTown := []string{"11", "12", "11"}
	if len(rows) != 4 {
		t.Fatalf("rows %q", rows)
	}
	for i, r := range rows[1:] {
		if r[0] != wantIDs[i] || !slices.Contains(r, wantTown[i]) {
			t.Errorf("row %d: %q, want id %q in town %s", i, r, wantIDs[i], wantTown[i])
		}
	}
	// an error after a record over three lines names the right line
	bad := "id,lon,lat\n\"a\n\nb\",120.5,31.5\n2,120.5,north\n"
	_, err = e.Batch(strings.NewReader(bad), io.Discard, lookup.CSV, nil)
	var ie *lookup.InputError
	if !errors.As(err, &ie) || ie.Index != 1 || ie.Line != 5 || ie.Field != "lat" {
		t.Fatalf("err %v, want point 1 on line 5, field lat", err)
	}
	// a quote never closed is an error at the line where the record starts,
	// and its message places the fault in the body, not in the record
	_, err = e.Batch(strings.NewReader("id,lon,lat\n1,120.5,31.5\n\"open,120.5,31.5\n3,120.5,31.5\n"), io.Discard, lookup.CSV, nil)
	if !errors.As(err, &ie) || ie.Index != 1 || ie.Line != 3 || !strings.Contains(ie.Msg, "line 4, column") {
		t.Fatalf("err %v, want point 1 on line 3, the fault on line 4", err)
	}
	// an id of 300,000 lines (the quotes are counted line by line, not over
	// the record again for each line)
	long := "id,lon,lat\n\"" + strings.Repeat("\n", 300_000) + "\",120.5,31.5\n"
	if n, err := e.Batch(strings.NewReader(long), io.Discard, lookup.CSV, nil); err != nil || n != 1 {
		t.Fatalf("id of 300,000 lines: answered %d, err %v", n, err)
	}
	// a record over the cap says so
	huge := "id,lon,lat\n\"" + strings.Repeat("abc\r\n", 300_000) + "\",120.5,31.5\n"
	_, err = e.Batch(strings.NewReader(huge), io.Discard, lookup.CSV, nil)
	if !errors.As(err, &ie) || ie.Index != 0 || ie.Line != 2 || !strings.Contains(ie.Msg, "record longer than") {
		t.Fatalf("record of 1.5 MB: err %v, want a record too long on line 2", err)
	}
}
