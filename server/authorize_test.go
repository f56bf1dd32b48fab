package server_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/auth"
	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/server"
)

// authServer is a real server on loopback with a keys file of its own.
type authServer struct {
	base    string
	srv     *server.Server
	keys    *auth.Keys // another handle of the keys file, as gridmap keys opens it
	uploads string
}

// startAuth serves the store of start (or st, when not nil) with a keys
// file of its own and opts.
func startAuth(t *testing.T, opts server.AuthOptions) *authServer {
	t.Helper()
	start(t) // the shared store
	dir := t.TempDir()
	if opts.KeysFile == "" {
		opts.KeysFile = filepath.Join(dir, "keys.json")
	}
	a := &authServer{uploads: filepath.Join(dir, "uploads")}
	var err error
	if a.keys, err = auth.Open(opts.KeysFile); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	a.srv, _, err = server.NewTestServer(ctx, catalog.Options{Store: st, Poll: -1, Uploads: a.uploads}, server.Options{Auth: opts})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.srv.Serve(ctx, ln)
	a.base = "http://" + ln.Addr().String()
	return a
}

func (a *authServer) add(t *testing.T, name string, role auth.Role) string {
	t.Helper()
	tok, _, err := a.keys.Add(name, role)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// authCall is one request with a credential: header is the whole
// Authorization header, key the ?key= value ("" for neither).
type authCall struct {
	method, path string
	header, key  string
	body, ctype  string
}

func (a *authServer) do(t *testing.T, c authCall) (int, http.Header, []byte) {
	t.Helper()
	u := a.base + c.path
	if c.key != "" {
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + "key=" + url.QueryEscape(c.key)
	}
	req, err := http.NewRequest(c.method, u, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.header != "" {
		req.Header.Set("Authorization", c.header)
	}
	if c.ctype != "" {
		req.Header.Set("Content-Type", c.ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

const bootstrapToken = "bootstrap-admin-token-for-tests"

// TestAuthorizeTable sends each route a request with each kind of
// credential, to a server with keys required and to one without, and
// checks the status: 401 with a challenge for a missing credential where
// one is needed and for an unknown or revoked one anywhere but the open
// routes, 403 for a known key without the role, and the handler's own
// answer (200, or the 400 of an import without a file, the 404 of an
// unknown version: refusals that write nothing) once the key passes.
func TestAuthorizeTable(t *testing.T) {
	// an import body without a file, and an activation of a version that
	// does not exist: what passes authorize is refused by the handler
	// before it writes anything
	importNoFile := authCall{method: http.MethodPost, path: "/api/v1/imports",
		body: "--b\r\nContent-Disposition: form-data; name=\"merge\"\r\n\r\ntrue\r\n--b--\r\n", ctype: "multipart/form-data; boundary=b"}
	activate := authCall{method: http.MethodPost, path: "/api/v1/versions/v999/activate"}
	routes := []struct {
		name string
		call authCall
	}{
		{"healthz", authCall{method: http.MethodGet, path: "/healthz"}},
		{"lookup", authCall{method: http.MethodGet, path: "/api/v1/lookup?lon=120.28&lat=31.85"}},
		{"tile", authCall{method: http.MethodGet, path: "/tiles/12/3416/1663.mvt"}},
		{"versions", authCall{method: http.MethodGet, path: "/api/v1/versions"}},
		{"import", importNoFile},
		{"activate", activate},
	}
	type want [6]int // by route, in the order of routes
	tests := []struct {
		cred     string
		open     want // keys not required
		required want // keys required
	}{
		{"none", want{200, 200, 200, 200, 401, 401}, want{200, 401, 401, 401, 401, 401}},
		{"unknown", want{200, 401, 401, 401, 401, 401}, want{200, 401, 401, 401, 401, 401}},
		{"revoked", want{200, 401, 401, 401, 401, 401}, want{200, 401, 401, 401, 401, 401}},
		{"reader", want{200, 200, 200, 200, 403, 403}, want{200, 200, 200, 200, 403, 403}},
		{"grid_worker", want{200, 200, 200, 200, 403, 403}, want{200, 200, 200, 200, 403, 403}},
		{"importer", want{200, 200, 200, 200, 400, 403}, want{200, 200, 200, 200, 400, 403}},
		{"admin", want{200, 200, 200, 200, 400, 404}, want{200, 200, 200, 200, 400, 404}},
		{"bootstrap", want{200, 200, 200, 200, 400, 404}, want{200, 200, 200, 200, 400, 404}},
		{"reader in ?key=", want{200, 200, 200, 200, 401, 401}, want{200, 200, 200, 200, 401, 401}},
		{"admin in ?key=", want{200, 200, 200, 200, 401, 401}, want{200, 200, 200, 200, 401, 401}},
		{"unknown in ?key=", want{200, 401, 401, 401, 401, 401}, want{200, 401, 401, 401, 401, 401}},
		{"empty ?key=", want{200, 401, 401, 401, 401, 401}, want{200, 401, 401, 401, 401, 401}},
		{"basic scheme", want{200, 401, 401, 401, 401, 401}, want{200, 401, 401, 401, 401, 401}},
		{"lower-case bearer", want{200, 200, 200, 200, 400, 404}, want{200, 200, 200, 200, 400, 404}},
	}
	for _, required := range []bool{false, true} {
		a := startAuth(t, server.AuthOptions{AdminToken: bootstrapToken, RequireKeys: required})
		toks := map[string]string{"unknown": "gm_" + strings.Repeat("A", 43), "bootstrap": bootstrapToken}
		for _, r := range []auth.Role{auth.RoleReader, auth.RoleGridWorker, auth.RoleImporter, auth.RoleAdmin} {
			toks[string(r)] = a.add(t, string(r), r)
		}
		toks["revoked"] = a.add(t, "gone", auth.RoleAdmin)
		if _, err := a.keys.Revoke("gone"); err != nil {
			t.Fatal(err)
		}
		if err := a.srv.ReloadKeys(); err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			w := tt.open
			if required {
				w = tt.required
			}
			for i, r := range routes {
				c := r.call
				switch cred, _, inQuery := strings.Cut(tt.cred, " in ?key="); {
				case inQuery:
					c.key = toks[cred]
				case tt.cred == "empty ?key=":
					c.path += map[bool]string{true: "&", false: "?"}[strings.Contains(c.path, "?")] + "key="
				case tt.cred == "basic scheme":
					c.header = "Basic " + toks["admin"]
				case tt.cred == "lower-case bearer":
					c.header = "bearer " + toks["admin"]
				case tt.cred != "none":
					c.header = "Bearer " + toks[tt.cred]
				}
				code, h, body := a.do(t, c)
				if code != w[i] {
					t.Errorf("required=%v %s %s: status %d, want %d: %.200s", required, tt.cred, r.name, code, w[i], body)
					continue
				}
				checkRefusal(t, code, h, body, c.header != "" || (c.key != "" && c.method == http.MethodGet) || tt.cred == "empty ?key=" && c.method == http.MethodGet)
			}
		}
	}
}

// checkRefusal checks the body and challenge of a 401 or 403: a 401 says
// Bearer realm="gridmap", with error="invalid_token" exactly when a token
// was sent.
func checkRefusal(t *testing.T, code int, h http.Header, body []byte, sent bool) {
	t.Helper()
	challenge := h.Get("WWW-Authenticate")
	switch code {
	case http.StatusUnauthorized:
		want := `Bearer realm="gridmap"`
		if sent {
			want += `, error="invalid_token"`
		}
		if challenge != want || !bytes.Contains(body, []byte(`"unauthorized"`)) {
			t.Errorf("401 with challenge %q, want %q: %s", challenge, want, body)
		}
	case http.StatusForbidden:
		if challenge != "" || !bytes.Contains(body, []byte(`"forbidden"`)) || !bytes.Contains(body, []byte("needs role")) {
			t.Errorf("403 with challenge %q: %s", challenge, body)
		}
	}
}

// TestRefusedImportWritesNothing: a valid import refused for its
// credential leaves the active version and the versions as they were, and
// makes no upload directory.
func TestRefusedImportWritesNothing(t *testing.T) {
	ctx := context.Background()
	store, layers, err := sampleStore(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keysFile, uploads := filepath.Join(dir, "keys.json"), filepath.Join(dir, "uploads")
	keys, err := auth.Open(keysFile)
	if err != nil {
		t.Fatal(err)
	}
	reader, _, err := keys.Add("reader", auth.RoleReader)
	if err != nil {
		t.Fatal(err)
	}
	base, err := listen(ctx, catalog.Options{Store: store, Poll: -1, Uploads: uploads}, server.Options{Auth: server.AuthOptions{KeysFile: keysFile}})
	if err != nil {
		t.Fatal(err)
	}
	grids := fileText(t, filepath.Join(layers, "grids.geojson"))
	before, _ := store.List(ctx)
	for _, tt := range []struct{ name, token string }{{"none", ""}, {"unknown", "gm_nope"}, {"reader", reader}} {
		code, _, body := post(t, base+"/api/v1/imports", tt.token, "", part{"grids", "grids.geojson", grids}, part{field: "merge", value: "true"})
		if code != http.StatusUnauthorized && code != http.StatusForbidden {
			t.Fatalf("%s: status %d %.200s, want 401 or 403", tt.name, code, body)
		}
	}
	after, _ := store.List(ctx)
	if len(after) != len(before) || versions(t, base).Active != "v1" {
		t.Errorf("versions %d → %d after refused imports", len(before), len(after))
	}
	if _, err := os.Stat(uploads); !os.IsNotExist(err) {
		t.Errorf("uploads directory made for a refused import: %v", err)
	}
}

// TestKeysChangeWithoutRestart: a key added through another handle of the
// keys file, as gridmap keys adds it, works on the running server within
// its look at the file, and stops working once revoked; ReloadKeys makes
// a change count at once.
func TestKeysChangeWithoutRestart(t *testing.T) {
	a := startAuth(t, server.AuthOptions{RequireKeys: true})
	lookup := authCall{method: http.MethodGet, path: "/api/v1/lookup?lon=120.28&lat=31.85"}
	status := func(tok string) int {
		c := lookup
		c.header = "Bearer " + tok
		code, _, _ := a.do(t, c)
		return code
	}
	// within a look at the file (a second, the timeout is for a loaded
	// machine)
	waitFor := func(tok string, want int) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for status(tok) != want {
			if time.Now().After(deadline) {
				t.Fatalf("token still not %d", want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	tok := a.add(t, "app", auth.RoleReader)
	waitFor(tok, http.StatusOK)
	if _, err := a.keys.Revoke("app"); err != nil {
		t.Fatal(err)
	}
	waitFor(tok, http.StatusUnauthorized)

	tok = a.add(t, "app", auth.RoleReader)
	if err := a.srv.ReloadKeys(); err != nil {
		t.Fatal(err)
	}
	if got := status(tok); got != http.StatusOK {
		t.Errorf("after ReloadKeys: %d, want 200", got)
	}
	if _, err := a.keys.Revoke("app"); err != nil {
		t.Fatal(err)
	}
	if err := a.srv.ReloadKeys(); err != nil {
		t.Fatal(err)
	}
	if got := status(tok); got != http.StatusUnauthorized {
		t.Errorf("revoked, after ReloadKeys: %d, want 401", got)
	}
}

// TestNoAdminYetSaysHow: with neither an admin token nor an admin key, the
// 401 of an admin route says how to make one; once an admin key exists it
// does not.
func TestNoAdminYetSaysHow(t *testing.T) {
	a := startAuth(t, server.AuthOptions{})
	c := authCall{method: http.MethodPost, path: "/api/v1/versions/v1/activate"}
	code, _, body := a.do(t, c)
	if code != http.StatusUnauthorized || !bytes.Contains(body, []byte("gridmap keys add --name NAME --role admin")) || !bytes.Contains(body, []byte("--admin-token")) {
		t.Errorf("status %d %s, want 401 saying how to make an admin credential", code, body)
	}
	a.add(t, "ops", auth.RoleAdmin)
	a.srv.ReloadKeys()
	if code, _, body = a.do(t, c); code != http.StatusUnauthorized || bytes.Contains(body, []byte("gridmap keys add")) {
		t.Errorf("with an admin key: status %d %s, want 401 without the hint", code, body)
	}
}

// TestBadKeysFileStopsStart: a server is not made over a keys file that
// cannot be read.
func TestBadKeysFileStopsStart(t *testing.T) {
	start(t)
	path := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := server.NewTestServer(context.Background(), catalog.Options{Store: st, Poll: -1}, server.Options{Auth: server.AuthOptions{KeysFile: path}})
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("New over a bad keys file: %v, want an error naming it", err)
	}
}
