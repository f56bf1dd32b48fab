package server_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/gridmap/gridmap/auth"
	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
)

// TestOpenAPIServerAnswers sends the requests whose answers need a server
// of other options than TestOpenAPIAnswers' (keys required, a rate limit,
// a full cap of heavy requests, small size limits, a full disk, no
// version) to real servers of those options, in order, and validates each
// request and answer against the document as TestOpenAPIAnswers does.
func TestOpenAPIServerAnswers(t *testing.T) {
	start(t) // the shared store st
	for _, s := range []struct {
		name  string
		setup func(t *testing.T) (base string, rows []apiRow)
	}{
		{"keys required", keyRows},
		{"rate", rateRows},
		{"heavy cap", heavyRows},
		{"sizes", sizeRows},
		{"disk full", diskFullRows},
		{"no version", noVersionRows},
	} {
		t.Run(s.name, func(t *testing.T) {
			base, rows := s.setup(t)
			for _, r := range rows {
				t.Run(r.name, func(t *testing.T) { r.run(t, base) })
			}
		})
	}
}

// keyRows: keys required, a reader, an importer and a revoked key.
func keyRows(t *testing.T) (string, []apiRow) {
	file := filepath.Join(t.TempDir(), "keys.json")
	keys, err := auth.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	add := func(name string, role auth.Role) string {
		tok, _, err := keys.Add(name, role)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	reader, importer, revoked := add("wall", auth.RoleReader), add("loader", auth.RoleImporter), add("old", auth.RoleReader)
	if _, err := keys.Revoke("old"); err != nil {
		t.Fatal(err)
	}
	base, srv := limitServer(t, st, server.Options{Auth: server.AuthOptions{AdminToken: adminToken, KeysFile: file, RequireKeys: true}})
	if err := srv.ReloadKeys(); err != nil {
		t.Fatal(err)
	}
	extra := collection(square("91", 4, 0))
	challenge := "WWW-Authenticate"
	as := func(tok string) []string { return []string{"Authorization: Bearer " + tok} }
	return base, []apiRow{
		{name: "lookup no key", method: "GET", target: lookupQuery, status: 401, want: []string{challenge}},
		{name: "lookup reader", method: "GET", target: lookupQuery, status: 200, header: as(reader)},
		{name: "lookup reader in query", method: "GET", target: lookupQuery + "&key=" + reader, status: 200},
		{name: "tile reader in query", method: "GET", target: "/tiles" + sampleTile + "?key=" + reader, status: 200},
		{name: "tilejson reader in query", method: "GET", target: "/tiles.json?key=" + reader, status: 200},
		{name: "batch no key", method: "POST", target: "/api/v1/lookup", status: 401, want: []string{challenge},
			header: []string{"Content-Type: text/csv"}, body: "id,lon,lat\na,120.285,31.905\n"},
		{name: "batch reader", method: "POST", target: "/api/v1/lookup", status: 200,
			header: append(as(reader), "Content-Type: text/csv"), body: "id,lon,lat\na,120.285,31.905\n"},
		{name: "lookup revoked key", method: "GET", target: lookupQuery, status: 401, header: as(revoked), want: []string{challenge}},
		{name: "tile revoked key in query", method: "GET", target: "/tiles" + sampleTile + "?key=" + revoked, status: 401, want: []string{challenge}},
		{name: "health no key", method: "GET", target: "/healthz", status: 200},
		{name: "import reader", method: "POST", target: "/api/v1/imports", status: 403, header: as(reader),
			parts: []part{{"extra", "extra.geojson", extra}, {"dry_run", "", "true"}}},
		{name: "import revoked key", method: "POST", target: "/api/v1/imports", status: 401, header: as(revoked), want: []string{challenge},
			parts: []part{{"extra", "extra.geojson", extra}, {"dry_run", "", "true"}}},
		{name: "import importer", method: "POST", target: "/api/v1/imports", status: 200, header: as(importer),
			parts: []part{{"extra", "extra.geojson", extra}, {"dry_run", "", "true"}}},
		{name: "activate reader", method: "POST", target: "/api/v1/versions/v1/activate", status: 403, header: as(reader)},
		{name: "activate importer", method: "POST", target: "/api/v1/versions/v1/activate", status: 403, header: as(importer)},
	}
}

// rateRows: one request a client, then 429; the open routes are not
// counted.
func rateRows(t *testing.T) (string, []apiRow) {
	base, _ := limitServer(t, st, server.Options{Limits: server.LimitOptions{Rate: 0.001, Burst: 1}})
	return base, []apiRow{
		{name: "lookup", method: "GET", target: lookupQuery, status: 200},
		{name: "lookup over the rate", method: "GET", target: lookupQuery, status: 429, limit: "limits.rate", want: []string{"Retry-After"}},
		{name: "tile over the rate", method: "GET", target: "/tiles" + sampleTile, status: 429, want: []string{"Retry-After"}},
		{name: "batch over the rate", method: "POST", target: "/api/v1/lookup", status: 429, want: []string{"Retry-After"},
			header: []string{"Content-Type: text/csv"}, body: "id,lon,lat\na,120.285,31.905\n"},
		{name: "health not rated", method: "GET", target: "/healthz", status: 200},
		{name: "ready not rated", method: "GET", target: "/readyz", status: 200},
	}
}

// heavyRows: the cap of one heavy request held by an open batch.
func heavyRows(t *testing.T) (string, []apiRow) {
	base, _ := limitServer(t, st, server.Options{Auth: server.AuthOptions{AdminToken: adminToken},
		Limits: server.LimitOptions{HeavyConcurrency: 1}})
	_, _, done := openBatch(t, base)
	t.Cleanup(done)
	return base, []apiRow{
		{name: "batch overloaded", method: "POST", target: "/api/v1/lookup", status: 503, limit: "limits.heavy_concurrency", want: []string{"Retry-After"},
			header: []string{"Content-Type: text/csv"}, body: "id,lon,lat\na,120.285,31.905\n"},
		{name: "import overloaded", method: "POST", target: "/api/v1/imports", status: 503, want: []string{"Retry-After"},
			header: []string{"Authorization: Bearer " + adminToken}, parts: []part{{"county", "county.geojson", collection(square("1", 4, 0))}}},
		{name: "lookup beside", method: "GET", target: lookupQuery, status: 200},
	}
}

// sizeRows: small limits of bodies, points, uploads, imports and idle
// bodies.
func sizeRows(t *testing.T) (string, []apiRow) {
	base, _ := limitServer(t, st, server.Options{Auth: server.AuthOptions{AdminToken: adminToken}, Limits: server.LimitOptions{
		MaxBodyBytes: 64 << 10, MaxDecodedBytes: 32 << 10, MaxBatchPoints: 1000, MaxUploadBytes: 16 << 10,
		ImportMaxVertices: 100, BodyIdleTimeout: 300 * time.Millisecond,
	}})
	csv := []string{"Content-Type: text/csv"}
	admin := []string{"Authorization: Bearer " + adminToken}
	return base, []apiRow{
		{name: "batch points", method: "POST", target: "/api/v1/lookup", status: 413, limit: "limits.max_batch_points",
			header: csv, body: string(csvPoints(1001))},
		{name: "batch decoded", method: "POST", target: "/api/v1/lookup", status: 413, limit: "limits.max_decoded_bytes",
			header: append(csv, "Content-Encoding: gzip"), gzip: true, body: string(csvLong(600))},
		{name: "batch sent", method: "POST", target: "/api/v1/lookup", status: 413, limit: "limits.max_body_bytes",
			header: csv, body: string(csvLong(900))},
		{name: "batch idle", method: "POST", target: "/api/v1/lookup", status: 408, limit: "limits.body_idle_timeout",
			header: csv, body: "id,lon,la", idle: true},
		{name: "import upload", method: "POST", target: "/api/v1/imports", status: 413, limit: "limits.max_upload_bytes",
			header: admin, parts: []part{{"extra", "extra.geojson", collection(square("91", 4, 20000))}}},
		{name: "import vertices", method: "POST", target: "/api/v1/imports", status: 422, limit: "limits.import_max_vertices",
			header: admin, parts: []part{{"extra", "extra.geojson", collection(square("91", 101, 0))}, {"dry_run", "", "true"}}},
		{name: "import idle", method: "POST", target: "/api/v1/imports", status: 408, limit: "limits.body_idle_timeout",
			header: append(admin, "Content-Type: multipart/form-data; boundary=x"), body: "--x\r\n", idle: true},
	}
}

// diskFullRows: a store whose disk is full.
func diskFullRows(t *testing.T) (string, []apiRow) {
	base, _ := limitServer(t, fullDisk{st}, server.Options{Auth: server.AuthOptions{AdminToken: adminToken}})
	return base, []apiRow{
		{name: "import publishes", method: "POST", target: "/api/v1/imports", status: 507,
			header: []string{"Authorization: Bearer " + adminToken}, parts: []part{{"extra", "extra.geojson", collection(square("91", 4, 0))}}},
	}
}

// noVersionRows: a store with no version.
func noVersionRows(t *testing.T) (string, []apiRow) {
	empty, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	base, err := listen(ctx, catalog.Options{Store: empty, Poll: -1, Uploads: t.TempDir()}, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := []apiRow{
		{name: "ready", method: "GET", target: "/readyz", status: 503},
		{name: "ready HEAD", method: "HEAD", target: "/readyz", status: 503},
		{name: "health", method: "GET", target: "/healthz", status: 503},
	}
	for _, target := range []string{lookupQuery, "/tiles.json", "/tiles" + sampleTile, "/api/v1/tiles/stats", "/api/v1/search?q=a"} {
		rows = append(rows, apiRow{name: fmt.Sprint("no version ", target), method: "GET", target: target, status: 503})
	}
	return base, rows
}
