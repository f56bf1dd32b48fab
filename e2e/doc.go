// Package e2e holds end-to-end tests: they build the real gridmap binary, start
// it on a loopback port with a fresh data directory (it imports the bundled
// Jiangyin sample on first start), and drive the page in headless Chromium.
//
// TestPage runs at 1920×1080 and 3840×2160: the page loads with no console
// error and no request off the machine; a grid is found by typing its name
// and picking the suggestion; a click and typed GCJ-02 coordinates show the
// chain that /api/v1/lookup gives; the coordinate systems offered are those
// of /api/v1/config (index.html's when it lists none); #z/lat/lon/layers is
// read and written; both themes are captured. A portrait tablet gets the
// folded bottom sheet and 44 px controls. Last, with the page open, testdata/microgrids.geojson (one
// sample micro grid with a new name) is imported with gridmap import --merge
// into the server's data directory, and the page must show the new version
// and name without being loaded again.
//
// The tests need Debian's chromium (/usr/bin/chromium, or the path in
// GRIDMAP_CHROMIUM). Without it they skip, except in CI (CI=true), where they
// fail. Screenshots (page-WxH-*.png) and the server log go to
// GRIDMAP_ARTIFACTS, or to artifacts/ at the repository root.
//
// TestCrashKills needs no browser: it kills gridmap import and gridmap serve
// with SIGKILL at seeded random moments of imports and activations (72
// kills, 12 with -short; GRIDMAP_CRASH_SEED repeats a run) and checks after
// each that a restarted server serves a whole version, the active one before
// the kill or the one being published, and that nothing is left behind.
//
// TestCrashIncidents kills gridmap serve with SIGKILL while 8 clients
// report incidents over HTTP (20 kills, 3 with -short) and checks after
// each restart that every incident answered 201 is stored, none twice.
//
// GRIDMAP_E2E_URL=http://127.0.0.1:8080 runs the browser tests against a
// server that is already running instead of building and starting one (the
// publish step is then skipped: it needs the server's data directory).
package e2e
