package static_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/static"
)

// The page's own files, which must name no host: the page loads nothing from
// the internet.
var pageFiles = []string{"index.html", "app.js", "labels.js", "app.css"}

func TestPageFilesEmbedded(t *testing.T) {
	for _, name := range append(pageFiles,
		"vendor/VERSIONS",
		"vendor/leaflet/leaflet.js",
		"vendor/leaflet/leaflet.css",
		"vendor/leaflet/LICENSE",
		"vendor/leaflet.vectorgrid/Leaflet.VectorGrid.bundled.min.js",
		"vendor/leaflet.vectorgrid/LICENSE",
	) {
		t.Run(name, func(t *testing.T) {
			b, err := fs.ReadFile(static.FS, name)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) == 0 {
				t.Fatal("empty")
			}
		})
	}
}

// Every /static/ path that index.html refers to is a file of FS.
func TestIndexReferencesResolve(t *testing.T) {
	b, err := fs.ReadFile(static.FS, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(string(b), -1)
	if len(refs) < 4 {
		t.Fatalf("index.html has %d references, want the scripts and styles", len(refs))
	}
	for _, m := range refs {
		ref := m[1]
		switch {
		case strings.HasPrefix(ref, "data:"):
		case strings.HasPrefix(ref, "/static/"):
			name := strings.TrimPrefix(ref, "/static/")
			if _, err := fs.Stat(static.FS, name); err != nil {
				t.Errorf("index.html refers to %s: %v", ref, err)
			}
		default:
			t.Errorf("index.html refers to %q, want /static/... or data:", ref)
		}
	}
}

// No page file names an http(s) host or a protocol-relative URL.
func TestPageNamesNoHost(t *testing.T) {
	external := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	for _, name := range pageFiles {
		b, err := fs.ReadFile(static.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if loc := external.FindString(line); loc != "" {
				t.Errorf("%s:%d names a host: %q", name, i+1, loc)
			}
		}
	}
}

// The leaflet.css url()s (the layer-control icons) resolve inside FS.
func TestLeafletImagesPresent(t *testing.T) {
	b, err := fs.ReadFile(static.FS, "vendor/leaflet/leaflet.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`url\(([^)]+)\)`).FindAllStringSubmatch(string(b), -1) {
		ref := strings.Trim(m[1], `"'`)
		if strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") { // #default#VML: old IE behaviour
			continue
		}
		if _, err := fs.Stat(static.FS, "vendor/leaflet/"+ref); err != nil {
			t.Errorf("leaflet.css refers to %s: %v", ref, err)
		}
	}
}
