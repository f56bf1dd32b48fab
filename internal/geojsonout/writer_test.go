package geojsonout_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/internal/geojsonout"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

const head = `{"type":"FeatureCollection","features":[` + "\n"

func TestWriter(t *testing.T) {
	square := orb.Polygon{{{120, 31}, {120.5, 31}, {120.5, 31.5}, {120, 31}}}
	tests := []struct {
		name     string
		prec     int
		features []geojsonout.Feature
		want     string
	}{
		{"empty", 7, nil, head + "\n]}\n"},
		{"polygon with properties", 7,
			[]geojsonout.Feature{{Properties: map[string]any{"name": "甲", "code": "1"}, Geometry: square}},
			head + `{"type":"Feature","properties":{"code":"1","name":"甲"},"geometry":{"type":"Polygon","coordinates":[[[120,31],[120.5,31],[120.5,31.5],[120,31]]]}}` + "\n]}\n"},
		{"id and raw properties, two features", geojsonout.Shortest,
			[]geojsonout.Feature{
				{ID: "900001", RawProperties: []byte(`{"b":1,"a":2}`), Geometry: orb.MultiPolygon{square}},
				{ID: `a"<b`, Geometry: orb.Point{1, 2}},
			},
			head + `{"type":"Feature","id":"900001","properties":{"b":1,"a":2},"geometry":{"type":"MultiPolygon","coordinates":[[[[120,31],[120.5,31],[120.5,31.5],[120,31]]]]}},` + "\n" +
				`{"type":"Feature","id":"a\"\u003cb","properties":null,"geometry":{"type":"Point","coordinates":[1,2]}}` + "\n]}\n"},
		{"7 decimals: rounded, zeros dropped, no negative zero", 7,
			[]geojsonout.Feature{{Geometry: orb.LineString{{120.123456789, -0.00000001}, {-0.5, 1e-7}}}},
			head + `{"type":"Feature","properties":null,"geometry":{"type":"LineString","coordinates":[[120.1234568,0],[-0.5,0.0000001]]}}` + "\n]}\n"},
		{"shortest", geojsonout.Shortest,
			[]geojsonout.Feature{{Geometry: orb.MultiPoint{{120.123456789, math.Copysign(0, -1)}, {0.1, 1e-9}}}},
			head + `{"type":"Feature","properties":null,"geometry":{"type":"MultiPoint","coordinates":[[120.123456789,0],[0.1,0.000000001]]}}` + "\n]}\n"},
		{"no decimals", 0,
			[]geojsonout.Feature{{Geometry: orb.MultiLineString{{{120.6, 30}, {-0.4, 100}}}}},
			head + `{"type":"Feature","properties":null,"geometry":{"type":"MultiLineString","coordinates":[[[121,30],[0,100]]]}}` + "\n]}\n"},
		{"no geometry", 7, []geojsonout.Feature{{Properties: map[string]any{}}},
			head + `{"type":"Feature","properties":{},"geometry":null}` + "\n]}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := geojsonout.NewWriter(&buf, tt.prec)
			for i := range tt.features {
				if err := w.Write(&tt.features[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if w.Count() != len(tt.features) {
				t.Errorf("Count %d, want %d", w.Count(), len(tt.features))
			}
			fc, err := geojson.UnmarshalFeatureCollection(buf.Bytes())
			if err != nil || len(fc.Features) != len(tt.features) {
				t.Errorf("decoded %v features, %v", fc, err)
			}
		})
	}
}

// TestWriterErrors: a feature that cannot be written stops the writer with
// an error naming the feature, and so does a failing underlying writer.
func TestWriterErrors(t *testing.T) {
	tests := []struct {
		name string
		f    geojsonout.Feature
		dst  *failAfter
		want string
	}{
		{"geometry", geojsonout.Feature{Geometry: orb.Bound{}}, &failAfter{n: 1 << 30}, "geojson feature 2: geometry orb.Bound not supported"},
		{"properties", geojsonout.Feature{Properties: map[string]any{"x": math.NaN()}}, &failAfter{n: 1 << 30}, "geojson feature 2: properties"},
		{"writer", geojsonout.Feature{}, &failAfter{n: 0}, "disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := geojsonout.NewWriter(tt.dst, 7)
			err := w.Write(&geojsonout.Feature{Geometry: orb.Point{1, 2}})
			if err == nil {
				err = w.Write(&tt.f)
			}
			if err == nil {
				err = w.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			if again := w.Write(&geojsonout.Feature{}); !errors.Is(again, err) {
				t.Errorf("after an error: %v", again)
			}
		})
	}
}

// failAfter accepts n bytes and then fails.
type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return 0, errors.New("disk full")
	}
	f.n -= len(p)
	return len(p), nil
}

func TestRound(t *testing.T) {
	for _, v := range []float64{120.123456789, 31.987654321, -0.000000001, 120, 0.000000005, 1e-300} {
		r := geojsonout.Round(v, 8)
		var buf bytes.Buffer
		w := geojsonout.NewWriter(&buf, geojsonout.Shortest)
		w.Write(&geojsonout.Feature{Geometry: orb.Point{r, 0}})
		w.Close()
		var fix bytes.Buffer
		w = geojsonout.NewWriter(&fix, 8)
		w.Write(&geojsonout.Feature{Geometry: orb.Point{v, 0}})
		w.Close()
		if buf.String() != fix.String() {
			t.Errorf("%g: Round then Shortest gives\n%s, 8 decimals\n%s", v, buf.String(), fix.String())
		}
	}
}
