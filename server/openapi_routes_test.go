package server

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/api"
	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/store"
)

// pathParam is a path segment that is a parameter, in echo's form (:id,
// the * of /static/*) or the document's ({id}, {y}.mvt).
var pathParam = regexp.MustCompile(`^(:.*|\*|\{.*)$`)

// canonicalPath writes a path of echo's router or of the document with
// every parameter segment as {}, so that the two can be compared:
// /tiles/:z/:x/:y and /tiles/{z}/{x}/{y}.mvt are both /tiles/{}/{}/{}.
func canonicalPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if pathParam.MatchString(s) {
			segs[i] = "{}"
		}
	}
	return strings.Join(segs, "/")
}

// documentOperations returns the operations of the OpenAPI document as
// "METHOD canonical path".
func documentOperations(t *testing.T) map[string]bool {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	ops := map[string]bool{}
	for p, item := range doc.Paths {
		for m := range item {
			switch m {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
				ops[strings.ToUpper(m)+" "+canonicalPath(p)] = true
			}
		}
	}
	return ops
}

// TestOpenAPICoversRoutes holds the OpenAPI document to the router: every
// route the server answers (routeTable, the HEAD of its GET routes and
// anything else registered) is in the document, and every operation of the
// document is routed. echo answers OPTIONS on every routed path by itself.
func TestOpenAPICoversRoutes(t *testing.T) {
	st, err := store.OpenDir(filepath.Join(t.TempDir(), "store"))
	if err != nil {
		t.Fatal(err)
	}
	srv, _, err := NewTestServer(context.Background(), catalog.Options{Store: st, Poll: -1}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc := documentOperations(t)
	routed := map[string]bool{}
	paths := map[string]bool{}
	for _, r := range srv.echo.Routes() {
		p := canonicalPath(r.Path)
		routed[r.Method+" "+p] = true
		paths[p] = true
		want := r.Method + " " + p
		if r.Method == http.MethodHead && !doc[want] {
			// the validator, like the document's readers, takes a HEAD
			// for the GET of its path
			want = http.MethodGet + " " + p
		}
		if !doc[want] {
			t.Errorf("route %s %s (%s) is not in the OpenAPI document", r.Method, r.Path, r.Name)
		}
	}
	var ops []string
	for op := range doc {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		m, p, _ := strings.Cut(op, " ")
		if m == http.MethodOptions && paths[p] || routed[op] {
			continue
		}
		t.Errorf("the OpenAPI document has %s, which the server does not route", op)
	}
	if len(ops) < len(srv.routeTable()) {
		t.Fatalf("%d operations in the document, fewer than the %d routes", len(ops), len(srv.routeTable()))
	}
}
