package server

import (
	"io"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gridmap/gridmap/static"
	"github.com/labstack/echo/v4"
)

// handleIndex answers GET / with the page.
func (s *Server) handleIndex(c echo.Context) error {
	b, err := fs.ReadFile(static.FS, "index.html")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "text/html; charset=utf-8", b)
}

// handleStatic answers GET /static/* from the embedded files, with an
// ETag, honouring Range and conditional requests (http.ServeContent); its
// refusals are problem documents.
func (s *Server) handleStatic(c echo.Context) error {
	name := strings.TrimPrefix(c.Param("*"), "/")
	if name == "" || strings.Contains(name, "..") {
		return echo.NewHTTPError(http.StatusNotFound, "no such file")
	}
	f, err := static.FS.Open(name)
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound, "no such file: "+name)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return echo.NewHTTPError(http.StatusNotFound, "no such file: "+name)
	}
	tag, err := staticETag(name, f)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	c.Response().Header().Set("ETag", tag)
	w := &contentErrors{ResponseWriter: c.Response()}
	http.ServeContent(w, c.Request(), name, st.ModTime(), f.(io.ReadSeeker))
	return w.err(name)
}
