package e2e

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAPIDocs opens /api/docs in headless Chromium: the vendored Swagger UI
// renders the served OpenAPI document, one block per operation, loading
// nothing but from the server and logging no error.
func TestAPIDocs(t *testing.T) {
	chromium := chromiumPath(t)
	srv := startServer(t)
	var doc struct {
		Info  struct{ Title string } `json:"info"`
		Paths map[string]map[string]any
	}
	getJSON(t, srv.Base+"/api/v1/openapi.json", &doc)
	ops := 0
	for _, item := range doc.Paths {
		for m := range item {
			switch m {
			case "get", "post", "put", "delete", "options", "head", "patch":
				ops++
			}
		}
	}
	if ops == 0 {
		t.Fatal("the served document has no operation")
	}

	ctx, rec := newBrowser(t, chromium, 1280, 900)
	if _, err := chromedp.Run(ctx, chromedp.Navigate(srv.Base+"/api/docs")); err != nil {
		t.Fatalf("open /api/docs: %v", err)
	}
	waitFor(t, ctx, rec, "the operations rendered", `document.querySelectorAll('.opblock').length > 0`)
	blocks, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.opblock').length`))
	if err != nil {
		t.Fatal(err)
	}
	if blocks != ops {
		t.Errorf("%d operation blocks rendered, want the document's %d", blocks, ops)
	}
	title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.info .title').textContent`))
	if err != nil || !strings.Contains(title, doc.Info.Title) {
		t.Errorf("title %q (%v), want it to hold %q", title, err, doc.Info.Title)
	}
	screenshot(t, ctx, filepath.Join(artifactsDir(t), "api-docs.png"))
	checkLoopbackOnly(t, rec, "/api/v1/openapi.json")
}

// checkLoopbackOnly fails the test for a request of the page that left the
// loopback server or for an error it logged, and when it did not request
// the path want.
func checkLoopbackOnly(t *testing.T, rec *recorder, want string) {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	found := false
	for _, raw := range rec.requests {
		u, err := url.Parse(raw)
		if err != nil {
			t.Errorf("request to unparsable URL %q: %v", raw, err)
			continue
		}
		if u.Scheme == "data" || u.Scheme == "blob" {
			continue
		}
		if h := u.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" {
			t.Errorf("request left the machine: %s", raw)
		}
		found = found || u.Path == want
	}
	if !found {
		t.Errorf("the page did not request %s; requests: %q", want, rec.requests)
	}
	for _, e := range rec.errors {
		t.Errorf("page error: %s", e)
	}
	t.Logf("%d requests", len(rec.requests))
}
