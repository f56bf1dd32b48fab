// Package api holds gridmap's HTTP API described in OpenAPI 3.1: the source
// openapi.yaml, written by hand, and openapi.json, made from it by
// `go test ./api -update` (a test fails when the two drift apart) and
// embedded in the binary, which serves it at /api/v1/openapi.json. It knows
// nothing of HTTP.
package api

import _ "embed"

// OpenAPI is the OpenAPI 3.1 document of the API, as JSON. Callers must not
// change it.
//
//go:embed openapi.json
var OpenAPI []byte

// DocsPage is the HTML page that renders OpenAPI with the vendored Swagger
// UI (static/vendor/swagger-ui, served under /static/).
//
//go:embed docs.html
var DocsPage []byte
