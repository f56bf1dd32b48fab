package static_test

import (
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/static"
)

// pageFiles are the page's own files (index.html, app.css and the modules
// js/*.js), which must name no host: the page loads nothing from the internet.
func pageFiles(t *testing.T) []string {
	t.Helper()
	modules, err := fs.Glob(static.FS, "js/*.js")
	if err != nil {
		t.Fatal(err)
	}
	if len(modules) == 0 {
		t.Fatal("no modules under js/")
	}
	return append([]string{"index.html", "app.css"}, modules...)
}

func TestPageFilesEmbedded(t *testing.T) {
	for _, name := range append(pageFiles(t),
		"js/main.js",
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
	for _, name := range pageFiles(t) {
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

// importRE finds the module specifiers of static imports and re-exports
// (import … from '…', import '…', export … from '…').
var importRE = regexp.MustCompile(`(?m)^(?:import\s*|(?:import|export)\b[^'";]*\bfrom\s*)['"]([^'"]+)['"]`)

// The modules form one graph from js/main.js, as a browser loads it without a
// bundler: every import is a relative path to a module of FS, and every
// module under js/ is reached.
func TestModuleGraph(t *testing.T) {
	reached := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if reached[name] {
			return
		}
		reached[name] = true
		b, err := fs.ReadFile(static.FS, name)
		if err != nil {
			t.Errorf("module %s: %v", name, err)
			return
		}
		for _, m := range importRE.FindAllStringSubmatch(string(b), -1) {
			spec := m[1]
			if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
				t.Errorf("%s imports %q, want a relative path (no bundler resolves bare names)", name, spec)
				continue
			}
			visit(path.Join(path.Dir(name), spec))
		}
	}
	visit("js/main.js")
	modules, err := fs.Glob(static.FS, "js/*.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range modules {
		if !reached[name] {
			t.Errorf("%s is not imported from js/main.js", name)
		}
	}
}

// Every module is preloaded by index.html, so that the browser fetches them
// at once rather than one level of the import graph after another.
func TestModulesPreloaded(t *testing.T) {
	b, err := fs.ReadFile(static.FS, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	modules, err := fs.Glob(static.FS, "js/*.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range modules {
		if !strings.Contains(string(b), `<link rel="modulepreload" href="/static/`+m+`">`) {
			t.Errorf("index.html does not preload %s", m)
		}
	}
}
