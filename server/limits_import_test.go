package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
)

// fullDisk is a store whose disk is full: Publish fails as a write would.
type fullDisk struct{ store.Store }

func (fullDisk) Publish(context.Context, *geo.Dataset, store.Meta, bool) (store.Manifest, error) {
	return store.Manifest{}, fmt.Errorf("write layers.bin: %w", &os.PathError{Op: "write", Path: "/data/versions/v2/layers.bin", Err: syscall.ENOSPC})
}

// TestImportDiskFull imports into a real server whose store's disk is full:
// the answer is 507 insufficient_storage saying why (not a 500 "internal
// error"), without the server's paths, and the active version stays.
func TestImportDiskFull(t *testing.T) {
	st, dir, err := sampleStore(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	base, srv := limitServer(t, fullDisk{st}, server.Options{Auth: server.AuthOptions{AdminToken: adminToken}})
	grids := fileText(t, dir+"/grids.geojson")
	code, _, body := post(t, base+"/api/v1/imports", adminToken, "", part{"grids", "grids.geojson", grids})
	if code != 507 {
		t.Fatalf("status %d, want 507: %s", code, body)
	}
	p := problemOf(t, body)
	if p.Code != "insufficient_storage" || !strings.Contains(p.text(), "no space left on device") || strings.Contains(p.text(), "/data") {
		t.Errorf("problem %+v", p)
	}
	if srv.Version() != "v1" {
		t.Errorf("serving %q after the failed import, want v1", srv.Version())
	}
}

// square returns a GeoJSON feature of code whose ring has n vertices.
func square(code string, n int, pad int) string {
	var ring []string
	for i := 0; i < n-1; i++ {
		// a fan along the bottom edge of a 0.01° square near Jiangyin
		switch {
		case i == 0:
			ring = append(ring, "[120.50,31.50]")
		case i == n-2:
			ring = append(ring, "[120.50,31.51]")
		default:
			ring = append(ring, fmt.Sprintf("[%.7f,31.50]", 120.50+0.01*float64(i)/float64(n-2)))
		}
	}
	if n-1 == 3 {
		ring = []string{"[120.50,31.50]", "[120.51,31.50]", "[120.50,31.51]"}
	}
	ring = append(ring, ring[0])
	return fmt.Sprintf(`{"type":"Feature","properties":{"code":%q,"pad":%q},"geometry":{"type":"Polygon","coordinates":[[%s]]}}`,
		code, strings.Repeat("x", pad), strings.Join(ring, ","))
}

func collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + "]}"
}

// TestImportLimits imports through a real server with small import limits:
// a file, a layer or a feature past its limit is refused (422, the report
// naming the limit's config key, the layer and the feature) and an upload
// past max_upload_bytes gets a 413 naming it; a file under every limit is
// checked as usual.
func TestImportLimits(t *testing.T) {
	st, _, err := sampleStore(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	base, _ := limitServer(t, st, server.Options{Auth: server.AuthOptions{AdminToken: adminToken}, Limits: server.LimitOptions{
		MaxUploadBytes: 16 << 10, ImportMaxFileBytes: 4 << 10, ImportMaxFeatures: 5, ImportMaxVertices: 100,
	}})
	var six []string
	for i := 0; i < 6; i++ {
		six = append(six, square(fmt.Sprint("9", i), 4, 0))
	}
	for _, tc := range []struct {
		name, file string
		status     int
		limit      string
		want       string // in the message
	}{
		{"under", collection(square("91", 100, 0)), 200, "", ""},
		{"vertices", collection(square("91", 4, 0), square("92", 101, 0)), 422, "limits.import_max_vertices", "feature #2 code 92 (layer extra): 101 vertices"},
		{"features", collection(six...), 422, "limits.import_max_features", "feature #6: layer extra has more than 5"},
		{"file", collection(square("91", 4, 5000)), 422, "limits.import_max_file_bytes", "(layer extra)"},
		{"upload", collection(square("91", 4, 20000)), 413, "limits.max_upload_bytes", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, body := post(t, base+"/api/v1/imports", adminToken, "",
				part{"extra", "extra.geojson", tc.file}, part{field: "dry_run", value: "true"})
			if code != tc.status {
				t.Fatalf("status %d, want %d: %.500s", code, tc.status, body)
			}
			switch tc.status {
			case 413:
				if p := problemOf(t, body); p.Code != "too_large" || p.Limit != tc.limit {
					t.Errorf("problem %+v", p)
				}
			case 422:
				var ans struct {
					Report struct {
						Problems []struct{ Kind, Limit, Message string }
					}
				}
				json.Unmarshal(body, &ans)
				ps := ans.Report.Problems
				if len(ps) == 0 || ps[0].Kind != "limit_exceeded" || ps[0].Limit != tc.limit ||
					!strings.Contains(ps[0].Message, tc.limit) || !strings.Contains(ps[0].Message, tc.want) {
					t.Errorf("problems %+v, want the first limit_exceeded %s saying %q", ps, tc.limit, tc.want)
				}
			}
		})
	}
}
