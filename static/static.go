// Package static holds the web page of gridmap and the browser libraries it
// uses, embedded into the binary so that the page loads nothing from the
// internet: no CDN, no web fonts, no base map.
//
// The server serves FS under /static/ and index.html at /, so the page refers
// to its assets as /static/js/main.js, /static/vendor/leaflet/leaflet.js, and
// so on. The page's script is the ES modules under js/, loaded as they are
// (no bundler, no build step): main.js starts the page and imports the others
// by relative paths; Leaflet and Leaflet.VectorGrid are classic scripts loaded
// before them.
//
// The files under vendor/ are written by scripts/vendor-web.sh from pinned npm
// versions (see vendor/VERSIONS); they are not edited by hand.
package static

import "embed"

// FS is the page (index.html, app.css, the modules js/*.js) and its vendored
// libraries (vendor/...), with index.html at the root. It is read-only.
//
//go:embed index.html app.css js vendor
var FS embed.FS
