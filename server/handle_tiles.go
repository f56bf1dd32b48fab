package server

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/tiles"
	"github.com/labstack/echo/v4"
)

// handleTileJSON answers GET /tiles.json: TileJSON 3.0 of the active version.
func (s *Server) handleTileJSON(c echo.Context) error {
	snap, err := s.snap()
	if err != nil {
		return err
	}
	req := c.Request()
	scheme := "http"
	if req.TLS != nil || req.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	tj := snap.tiles.TileJSON(scheme + "://" + req.Host + "/tiles/{z}/{x}/{y}.mvt")
	c.Response().Header().Set("Cache-Control", "no-cache")
	c.Response().Header().Set("X-Gridmap-Version", snap.manifest.ID)
	return c.JSON(http.StatusOK, tj)
}

// tileCoord parses one of z, x, y: a non-negative decimal integer.
func tileCoord(name, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || v == "" || v[0] == '+' {
		return 0, badParam(name, "tile %s=%q is not a non-negative integer", name, v)
	}
	return n, nil
}

// handleTile answers GET /tiles/{z}/{x}/{y}.mvt: a Mapbox Vector Tile of the
// active version, gzipped when the client accepts it.
func (s *Server) handleTile(c echo.Context) error {
	snap, err := s.snap()
	if err != nil {
		return err
	}
	ys, ok := strings.CutSuffix(c.Param("y"), ".mvt")
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "tile URLs end in .mvt")
	}
	z, err := tileCoord("z", c.Param("z"))
	if err != nil {
		return err
	}
	x, err := tileCoord("x", c.Param("x"))
	if err != nil {
		return err
	}
	y, err := tileCoord("y", ys)
	if err != nil {
		return err
	}
	if z > tiles.MaxZoom {
		return badParam("z", "zoom %d above the maximum %d", z, tiles.MaxZoom)
	}
	if n := 1 << z; x >= n || y >= n {
		return badParam("x", "tile %d/%d/%d outside the %d×%d tiles of zoom %d", z, x, y, n, n, z)
	}
	b, err := snap.tiles.Tile(z, x, y)
	if errors.Is(err, tiles.ErrTileOutOfRange) {
		return badParam("z", "%v", err)
	}
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Type", "application/vnd.mapbox-vector-tile")
	h.Set("X-Gridmap-Version", snap.manifest.ID)
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	etag := `"` + snap.manifest.ID + "-" + strconv.Itoa(z) + "-" + strconv.Itoa(x) + "-" + strconv.Itoa(y) + `"`
	h.Set("ETag", etag)
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	if len(b) > 0 && strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		var zb bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&zb, gzip.BestSpeed)
		zw.Write(b)
		zw.Close()
		h.Set("Content-Encoding", "gzip")
		b = zb.Bytes()
	}
	return c.Blob(http.StatusOK, "application/vnd.mapbox-vector-tile", b)
}
