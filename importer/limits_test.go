package importer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportLimits imports Jiangyin's layers under limits each below what
// one of them holds: the import is refused with one limit_exceeded problem
// naming the limit's config key, the layer and (for a feature) the
// feature; a layer past its features is read no further than the limit.
// The defaults take the whole set.
func TestImportLimits(t *testing.T) {
	srcs := setSources(t, "jiangyin", jiangyinLayers...)
	micro, err := os.Stat(srcs[4].Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		limits Limits
		key    string
		layer  string
		says   string
	}{
		{"defaults", Limits{}, "", "", ""},
		{"no caps", Limits{MaxFileBytes: -1, MaxFeatures: -1, MaxVertices: -1}, "", "", ""},
		{"vertices", Limits{MaxVertices: 1000}, KeyMaxVertices, "county", "1923 vertices"},
		{"features", Limits{MaxFeatures: 5000}, KeyMaxFeatures, "microgrids", "feature #5001"},
		{"file bytes", Limits{MaxFileBytes: micro.Size() - 1}, KeyMaxFileBytes, "microgrids", "more than the"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, rep, err := Import(context.Background(), srcs, nil, Options{Limits: tc.limits})
			if tc.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrRejected) {
				t.Fatalf("error %v, want a rejection", err)
			}
			var got []Problem
			for _, p := range rep.Problems {
				if p.Kind == KindLimit {
					got = append(got, p)
				}
			}
			if len(got) != 1 || got[0].Limit != tc.key || got[0].Layer != tc.layer ||
				!strings.Contains(got[0].Message, tc.key) || !strings.Contains(got[0].Message, tc.says) {
				t.Fatalf("limit problems %+v, want one of %s in layer %s saying %q", got, tc.key, tc.layer, tc.says)
			}
			if tc.key == KeyMaxFeatures {
				for _, f := range rep.Files {
					if f.Layer == "microgrids" && f.Features != 5000 {
						t.Errorf("%d features of microgrids read, want the 5000 of the limit", f.Features)
					}
				}
			}
		})
	}
}

// TestImportLimitLayer splits one layer over two files, each under the cap
// on features, together over it: the layer is refused.
func TestImportLimitLayer(t *testing.T) {
	dir := t.TempDir()
	src := setSources(t, "jiangyin", "towns")[0]
	b, err := os.ReadFile(src.Path)
	if err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(dir, "a.geojson")
	if err := os.WriteFile(a, b, 0o644); err != nil {
		t.Fatal(err)
	}
	one := []Source{{Layer: "towns", Path: a}}
	two := []Source{{Layer: "towns", Path: a}, {Layer: "towns", Path: a}}
	// towns holds 17 features: one file of them, then the same file twice
	// as one layer, each file under the cap of 20
	for _, tc := range []struct {
		srcs []Source
		max  int
		want bool
	}{{one, 17, false}, {one, 16, true}, {two, 34, false}, {two, 20, true}} {
		_, rep, _ := Import(context.Background(), tc.srcs, nil, Options{Limits: Limits{MaxFeatures: tc.max}})
		n := 0
		for _, p := range rep.Problems {
			if p.Kind == KindLimit && p.Limit == KeyMaxFeatures {
				n++
			}
		}
		if (n > 0) != tc.want {
			t.Errorf("%d files, max %d: %d limit problems, want some: %v", len(tc.srcs), tc.max, n, tc.want)
		}
	}
}
