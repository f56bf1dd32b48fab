package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/gridmap/gridmap/api"
	"github.com/labstack/echo/v4"
)

// openAPIETag is the strong ETag of the embedded OpenAPI document: its
// SHA-256, cut short.
var openAPIETag = func() string {
	sum := sha256.Sum256(api.OpenAPI)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}()

// handleOpenAPI answers GET /api/v1/openapi.json: the OpenAPI 3.1 document
// of this API (package api), revalidated by its ETag.
func (s *Server) handleOpenAPI(c echo.Context) error {
	h := c.Response().Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-cache")
	h.Set("Etag", openAPIETag)
	http.ServeContent(c.Response(), c.Request(), "", time.Time{}, bytes.NewReader(api.OpenAPI))
	return nil
}

// handleAPIDocs answers GET /api/docs: a page that renders the document
// with the vendored Swagger UI.
func (s *Server) handleAPIDocs(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "text/html; charset=utf-8", api.DocsPage)
}
