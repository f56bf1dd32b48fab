package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/auth"
	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/sqlitestore"
	"github.com/gridmap/gridmap/internal/syncbuf"
	"github.com/gridmap/gridmap/live"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/staff"
	"github.com/gridmap/gridmap/stats"
	"github.com/gridmap/gridmap/store"
)

// incidentEnv is a real server of the bundled sample with the real
// incident loop: the SQLite store in a temporary file, the service, the
// ledger and the hub; a key of every role (tokens by role name; "worker"
// is a grid worker of staff id S1, "worker2" of S2, "nostaff" a grid
// worker's key without a staff id); the server's log captured.
type incidentEnv struct {
	base   string
	tokens map[string]string
	// chain is the sample's chain of the point (testLon, testLat), finest
	// grid first.
	chain []string
	log   *syncbuf.Buffer
	svc   *incident.Service
	hub   *live.Hub
}

// The point of the env's incidents, inside the sample's grids (WGS84).
const testLon, testLat = 120.285, 31.905

// newIncidentEnv starts an env of its own, with a roster: S1 专职网格员 of
// the finest grid of the test point, S2 网格长 of its parent.
func newIncidentEnv(t *testing.T) *incidentEnv {
	t.Helper()
	env := startIncidentEnv(t, incidentCatalog(t), staff.Roles{})
	var a lookupAnswer
	env.getJSON(t, "", "/api/v1/lookup?lon=120.285&lat=31.905", &a)
	for _, el := range a.Chain {
		env.chain = append(env.chain, el.Code)
	}
	if len(env.chain) < 2 {
		t.Fatalf("the test point's chain is %v", env.chain)
	}
	roster := "grid,id,name,role,phone\n" + env.chain[0] + ",S1,王网格,专职网格员,13800001111\n" + env.chain[1] + ",S2,李长,网格长,13900002222\n"
	if status, _, b := env.call(t, "importer", "POST", "/api/v1/staff", roster, "Content-Type: text/csv"); status != http.StatusCreated {
		t.Fatalf("roster import: %d %s", status, b)
	}
	return env
}

// startIncidentEnv starts an env serving cat, with the roster's roles
// (zero: staff.DefaultRoles), no roster and no chain.
func startIncidentEnv(t *testing.T, cat *catalog.Catalog, roles staff.Roles) *incidentEnv {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	dir := t.TempDir()
	db, err := sqlitestore.Open(filepath.Join(dir, "incidents.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	env := &incidentEnv{tokens: map[string]string{}, log: &syncbuf.Buffer{}, hub: live.NewHub(1000)}
	logger := slog.New(slog.NewTextHandler(env.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ledger := stats.NewLedger()
	env.svc, err = incident.New(ctx, incident.Options{Store: db, Current: cat.Current, Publisher: env.hub,
		Sinks: []incident.Sink{ledger}, Counter: ledger, Log: logger, Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := auth.Open(filepath.Join(dir, "keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []struct {
		name  string
		role  auth.Role
		staff string
	}{
		{"admin", auth.RoleAdmin, ""}, {"importer", auth.RoleImporter, ""}, {"reader", auth.RoleReader, ""},
		{"reporter", auth.RoleReporter, ""}, {"dispatcher", auth.RoleDispatcher, ""}, {"supervisor", auth.RoleSupervisor, ""},
		{"worker", auth.RoleGridWorker, "S1"}, {"worker2", auth.RoleGridWorker, "S2"}, {"nostaff", auth.RoleGridWorker, ""},
	} {
		tok, _, err := keys.AddStaff(k.name, k.role, k.staff)
		if err != nil {
			t.Fatal(err)
		}
		env.tokens[k.name] = tok
	}
	srv, err := server.New(ctx, server.Options{Versions: cat, Incidents: env.svc, Stats: ledger, Hub: env.hub,
		Logger: logger, Auth: server.AuthOptions{KeysFile: keys.Path()}})
	if err != nil {
		t.Fatal(err)
	}
	if env.base, err = serveLoopback(ctx, srv); err != nil {
		t.Fatal(err)
	}
	return env
}

// incidentCat is the catalog of the bundled sample that every incident
// env serves: the envs import nothing, and building the sample's snapshot
// once instead of once per env saves about 15 s per test under -race.
var incidentCat onceCatalog

// incidentCatalog returns the shared catalog, built on first use.
func incidentCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	return incidentCat.get(t, func(ctx context.Context) (*store.Dir, error) {
		st, _, err := sampleStore(ctx, binaryDir("incidents"))
		return st, err
	})
}

// onceCatalog is a catalog built once per test binary.
type onceCatalog struct {
	once sync.Once
	cat  *catalog.Catalog
	err  error
}

// get returns the catalog of the store that open fills, opening it on the
// first call; an error fails t on every call.
func (o *onceCatalog) get(t *testing.T, open func(context.Context) (*store.Dir, error)) *catalog.Catalog {
	t.Helper()
	o.once.Do(func() {
		ctx := context.Background()
		st, err := open(ctx)
		if err == nil {
			o.cat, err = catalog.New(catalog.Options{Store: st, Poll: -1})
		}
		if err == nil {
			err = o.cat.Refresh(ctx)
		}
		o.err = err
	})
	if o.err != nil {
		t.Fatal(o.err)
	}
	return o.cat
}

// call sends a request as the key of role who ("" anonymous), with body
// and headers ("Name: value"; a JSON Content-Type unless one is given),
// and returns the answer. Requests meant to succeed are checked against
// the OpenAPI document, every answer is.
func (env *incidentEnv) call(t *testing.T, who, method, path, body string, hdr ...string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, env.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range hdr {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	if who != "" {
		tok, ok := env.tokens[who]
		if !ok {
			t.Fatalf("no key %q", who)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode < 300 {
		checkRequest(t, req, []byte(body), false, false)
	}
	checkAnswer(t, req, resp, b, false)
	return resp.StatusCode, resp.Header, b
}

// getJSON GETs path as who and decodes its 200 answer into v.
func (env *incidentEnv) getJSON(t *testing.T, who, path string, v any) {
	t.Helper()
	status, _, b := env.call(t, who, "GET", path, "")
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, b)
	}
}

// report posts an incident at the test point as who and returns it; want
// is the status expected.
func (env *incidentEnv) report(t *testing.T, who, body string, want int, hdr ...string) incident.Incident {
	t.Helper()
	status, _, b := env.call(t, who, "POST", "/api/v1/incidents", body, hdr...)
	if status != want {
		t.Fatalf("report as %s: %d, want %d: %s", who, status, want, b)
	}
	var inc incident.Incident
	if status < 300 {
		if err := json.Unmarshal(b, &inc); err != nil {
			t.Fatal(err)
		}
	}
	return inc
}

// act takes a step on incident id as who and returns the status and body.
func (env *incidentEnv) act(t *testing.T, who string, id incident.ID, body string) (int, []byte) {
	t.Helper()
	status, _, b := env.call(t, who, "POST", "/api/v1/incidents/"+itoa(int64(id))+"/actions", body)
	return status, b
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// codeOf returns the code of a problem document.
func codeOf(b []byte) string {
	var p struct {
		Code string `json:"code"`
	}
	json.Unmarshal(b, &p)
	return p.Code
}
