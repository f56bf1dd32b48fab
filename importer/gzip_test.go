package importer

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// bundled returns the path of a layer of the bundled sample, which is
// gzip-compressed GeoJSON (sample/jiangyin/NAME.geojson.gz).
func bundled(t *testing.T, layer string) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "..", "sample", "jiangyin", layer+".geojson.gz")
}

// gunzipTo writes the decompressed copy of the gzip file at src to dir
// under name.
func gunzipTo(t *testing.T, src, dir, name string) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestGzipSameAsPlain imports the bundled county and towns as the .gz
// files they are and as plain GeoJSON: the same layers, grid for grid.
func TestGzipSameAsPlain(t *testing.T) {
	dir := t.TempDir()
	var gz, plain []Source
	for _, l := range []string{"county", "towns"} {
		gz = append(gz, ParseSource(bundled(t, l)))
		plain = append(plain, ParseSource(gunzipTo(t, bundled(t, l), dir, l+".geojson")))
	}
	if gz[1].Layer != "towns" {
		t.Fatalf("layer of %s = %q, want towns", gz[1].Path, gz[1].Layer)
	}
	a, _, err := Import(context.Background(), gz, nil, Options{})
	if err != nil {
		t.Fatalf("import .gz: %v", err)
	}
	b, _, err := Import(context.Background(), plain, nil, Options{})
	if err != nil {
		t.Fatalf("import plain: %v", err)
	}
	for i, l := range a.Layers {
		if len(l.Grids) == 0 || len(l.Grids) != len(b.Layers[i].Grids) {
			t.Fatalf("layer %s: %d grids from .gz, %d plain", l.Name, len(l.Grids), len(b.Layers[i].Grids))
		}
		for j, g := range l.Grids {
			h := b.Layers[i].Grids[j]
			if g.Code != h.Code || g.Name != h.Name || !orb.Equal(g.Geom, h.Geom) {
				t.Fatalf("layer %s grid %d differs: %s %s / %s %s", l.Name, j, g.Code, g.Name, h.Code, h.Name)
			}
		}
	}
}

// gzipBytes compresses b.
func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestGzipBad: a .gz that is not gzip, one cut short, one whose
// checksum fails and one that decompresses past the file cap are each
// refused with one problem naming the file and what is wrong.
func TestGzipBad(t *testing.T) {
	county, err := os.ReadFile(bundled(t, "county"))
	if err != nil {
		t.Fatal(err)
	}
	corrupt := bytes.Clone(county)
	corrupt[len(corrupt)-6] ^= 0xff // in the CRC-32 of the trailer
	padded := []byte(`{"type":"FeatureCollection","features":[],"pad":"` + strings.Repeat(" ", 3<<20) + `"}`)
	cases := []struct {
		name, kind, want string
		data             []byte
		max              int64
	}{
		{"plain text", KindReadError, "not a gzip file", []byte(`{"type":"FeatureCollection","features":[]}`), 0},
		{"cut short", KindJSONSyntax, "unexpected end of input", county[:len(county)/2], 0},
		{"checksum", KindReadError, "gzip: invalid checksum", corrupt, 0},
		{"bomb", KindLimit, "decompresses to more than the 1048576 bytes", gzipBytes(t, padded), 1 << 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "county.geojson.gz")
			if err := os.WriteFile(path, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			opts := Options{}
			if c.max > 0 {
				opts.Limits.MaxFileBytes = c.max
			}
			_, rep, err := Import(context.Background(), []Source{ParseSource(path)}, nil, opts)
			if err == nil {
				t.Fatal("imported")
			}
			found := false
			for _, p := range rep.Problems {
				if p.Kind == c.kind && strings.Contains(p.Message, c.want) && strings.Contains(p.Message, path) {
					found = true
				}
			}
			if !found {
				t.Errorf("no %s problem naming %s and %q in %+v", c.kind, path, c.want, rep.Problems)
			}
		})
	}
}

// FuzzReadGzip feeds arbitrary bytes to the reader of a .gz file, under
// a small cap on the decompressed size: it must never panic, and a file it
// refuses has a well-formed problem naming it.
func FuzzReadGzip(f *testing.F) {
	small := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1"},"geometry":{"type":"Polygon","coordinates":[[[120,31],[121,31],[121,32],[120,31]]]}}]}`)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(small)
	zw.Close()
	f.Add(gz.Bytes())
	f.Add(gz.Bytes()[:gz.Len()/2])
	f.Add(small)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "fuzz.geojson.gz")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		fd := readFile(context.Background(), ParseSource(path), Options{Limits: Limits{MaxFileBytes: 64 << 10}}, nil)
		for _, p := range fd.problems {
			if p.Kind == "" || p.Message == "" || p.File != path {
				t.Fatalf("malformed problem %+v", p)
			}
		}
	})
}
