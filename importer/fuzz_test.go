package importer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadGeoJSON feeds arbitrary bytes to the reader and the geometry
// checks. They must never panic, and every problem must be well formed.
func FuzzReadGeoJSON(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*"))
	bad, _ := filepath.Glob(filepath.Join(sharedData, "bad", "*.geojson"))
	for _, p := range append(seeds, bad...) {
		b, err := os.ReadFile(p)
		if err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	for _, s := range []string{``, `{`, `[]`, `null`, `{"type":"FeatureCollection","features":{}}`,
		`{"type":"Feature","properties":{"code":1e400},"geometry":null}`,
		`{"features":[{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[0,0]]]]}}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fd := readStream(context.Background(), bytes.NewReader(data), Source{Layer: "fuzz", Path: "fuzz.geojson"}, Options{})
		for _, p := range fd.problems {
			if p.Kind == "" || p.Severity == "" || p.Message == "" {
				t.Fatalf("malformed problem %+v", p)
			}
			if p.Kind == KindJSONSyntax && (p.Line < 1 || p.Column < 1) {
				t.Fatalf("syntax error without position: %+v", p)
			}
		}
		for _, ft := range fd.features {
			if ft.geom == nil {
				continue
			}
			orient(ft.geom)
			checkValidity(ft.geom)
		}
	})
}
