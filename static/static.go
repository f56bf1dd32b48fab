// Package static holds the web page of gridmap and the browser libraries it
// uses, embedded into the binary so that the page loads nothing from the
// internet: no CDN, no web fonts, no base map.
//
// The server serves FS under /static/ and index.html at /, so the page refers
// to its assets as /static/app.js, /static/vendor/leaflet/leaflet.js, and so on.
// The files under vendor/ are written by scripts/vendor-web.sh from pinned npm
// versions (see vendor/VERSIONS); they are not edited by hand.
package static

import "embed"

// FS is the page (index.html, app.js, labels.js, app.css) and its vendored libraries
// (vendor/...), with index.html at the root. It is read-only.
//
//go:embed index.html app.js app.css labels.js vendor
var FS embed.FS
