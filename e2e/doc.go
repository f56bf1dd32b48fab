// Package e2e holds end-to-end tests: they build the real gridmap binary, start
// it on a loopback port with a fresh data directory (it imports the bundled
// Jiangyin sample on first start), and drive the page in headless Chromium.
//
// The tests need Debian's chromium (/usr/bin/chromium, or the path in
// GRIDMAP_CHROMIUM). Without it they skip, except in CI (CI=true), where they
// fail. Screenshots and the server log go to GRIDMAP_ARTIFACTS, or to
// artifacts/ at the repository root.
//
// GRIDMAP_E2E_URL=http://127.0.0.1:8080 runs the browser tests against a
// server that is already running instead of building and starting one.
package e2e
