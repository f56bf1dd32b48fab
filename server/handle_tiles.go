package server

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/version"
	"github.com/labstack/echo/v4"
)

// TileOptions configure the tile URLs a Server gives (the tiles themselves
// and their cache are built with each version: version.BuildOptions). The
// zero value means the defaults.
type TileOptions struct {
	// PublicURL is the URL clients reach this server at, for example
	// "https://wall.example.gov.cn/gridmap" behind a reverse proxy: the tile
	// URLs in tiles.json start with it. Default: the request's scheme and
	// host, taken from X-Forwarded-Proto and X-Forwarded-Host when a proxy
	// set them.
	PublicURL string
}

// hostRE is what a host taken from a request header may look like.
var hostRE = regexp.MustCompile(`^[A-Za-z0-9.\-]+(:[0-9]+)?$|^\[[0-9A-Fa-f:.]+\](:[0-9]+)?$`)

// publicBase returns the scheme://host[/prefix] that tile URLs start with:
// Options.Tiles.PublicURL when set; else the first X-Forwarded-Proto
// (http or https) and X-Forwarded-Host of the request when present and
// well-formed, else the connection's scheme and the Host header.
func (s *Server) publicBase(req *http.Request) string {
	if u := s.opts.Tiles.PublicURL; u != "" {
		return strings.TrimRight(u, "/")
	}
	scheme := "http"
	if req.TLS != nil {
		scheme = "https"
	}
	if p := strings.ToLower(firstValue(req.Header.Get("X-Forwarded-Proto"))); p == "http" || p == "https" {
		scheme = p
	}
	host := req.Host
	if h := firstValue(req.Header.Get("X-Forwarded-Host")); h != "" && hostRE.MatchString(h) {
		host = h
	}
	return scheme + "://" + host
}

// firstValue returns the first of a comma-separated header's values,
// trimmed (proxies that append add theirs after the client's first one).
func firstValue(v string) string {
	v, _, _ = strings.Cut(v, ",")
	return strings.TrimSpace(v)
}

// handleTileJSON answers GET /tiles.json: TileJSON 3.0 of the active
// version. "tiles" holds the latest URL (/tiles/{z}/{x}/{y}.mvt, always
// the active version, revalidated by ETag); "gridmap:versioned_tiles" the
// immutable URL of this version (/tiles/v/{version}/{z}/{x}/{y}.mvt, the
// version filled in), which clients should prefer and switch when they learn
// of a new version.
func (s *Server) handleTileJSON(c echo.Context) error {
	snap, err := s.snap()
	if err != nil {
		return err
	}
	base := s.publicBase(c.Request())
	tj, err := snap.Tiles.TileJSON(base + "/tiles/{z}/{x}/{y}.mvt")
	if err != nil {
		return err
	}
	tj.VersionedTiles = []string{base + "/tiles/v/" + snap.Manifest.ID + "/{z}/{x}/{y}.mvt?t=" + snap.TileTag[len(snap.Manifest.ID)+1:]}
	tj.Version = snap.Manifest.ID
	if tj.Attribution == "" {
		tj.Attribution = s.attribution(snap)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "X-Forwarded-Host, X-Forwarded-Proto")
	h.Set("X-Gridmap-Version", snap.Manifest.ID)
	return c.JSON(http.StatusOK, tj)
}

// tileCoord parses one of z, x, y: a non-negative decimal integer in its
// one spelling (no sign, no leading zero), so that a tile has one URL.
func tileCoord(name, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || v == "" || v[0] == '+' || v[0] == '-' || len(v) > 1 && v[0] == '0' {
		return 0, badParam(name, "tile %s=%q is not a non-negative integer without sign or leading zeros", name, v)
	}
	return n, nil
}

// parseTile reads z, x and y (which carries the .mvt suffix) of a tile
// route and checks them against the pyramid.
func parseTile(c echo.Context) (z, x, y int, err error) {
	ys, ok := strings.CutSuffix(c.Param("y"), ".mvt")
	if !ok {
		return 0, 0, 0, echo.NewHTTPError(http.StatusNotFound, "tile URLs end in .mvt")
	}
	if z, err = tileCoord("z", c.Param("z")); err != nil {
		return
	}
	if x, err = tileCoord("x", c.Param("x")); err != nil {
		return
	}
	if y, err = tileCoord("y", ys); err != nil {
		return
	}
	if z > tiles.MaxZoom {
		return 0, 0, 0, badParam("z", "zoom %d above the maximum %d", z, tiles.MaxZoom)
	}
	if n := 1 << z; x >= n || y >= n {
		param := "x"
		if x < n {
			param = "y"
		}
		return 0, 0, 0, badParam(param, "tile %d/%d/%d outside the %d×%d tiles of zoom %d", z, x, y, n, n, z)
	}
	return z, x, y, nil
}

// Header values shared by every tile answer (no allocation per request).
var (
	hdrMVT       = []string{"application/vnd.mapbox-vector-tile"}
	hdrGzip      = []string{"gzip"}
	hdrVary      = []string{"Accept-Encoding"}
	hdrNoCache   = []string{"no-cache"}
	hdrImmutable = []string{"public, max-age=31536000, immutable"}
)

// handleTile answers GET /tiles/{z}/{x}/{y}.mvt: a tile of the active
// version, revalidated by ETag (Cache-Control: no-cache), since the active
// version changes.
func (s *Server) handleTile(c echo.Context) error {
	snap, err := s.snap()
	if err != nil {
		return err
	}
	return s.serveTile(c, snap, hdrNoCache)
}

// handleVersionedTile answers GET /tiles/v/{version}/{z}/{x}/{y}.mvt: a
// tile of that version, cacheable forever (immutable). Only the active
// version is served: another version, known or not, is a 404 naming the
// active one (serving old versions would mean keeping their geometry in
// memory; clients learn of the new version from tiles.json or
// /api/v1/events and switch URLs).
func (s *Server) handleVersionedTile(c echo.Context) error {
	snap, err := s.snap()
	if err != nil {
		return err
	}
	if v := c.Param("version"); v != snap.Manifest.ID {
		return &Error{Status: http.StatusNotFound, Code: "version_not_active", Param: "version",
			Message: "version " + strconv.Quote(v) + " is not served; the active version is " + snap.Manifest.ID}
	}
	return s.serveTile(c, snap, hdrImmutable)
}

// serveTile writes tile z/x/y of snap from its cache: gzip when the client
// accepts it, an ETag naming version, tile and encoding, 304 on a matching
// If-None-Match. An empty tile is a 200 with an empty body.
func (s *Server) serveTile(c echo.Context, snap *version.Snapshot, cacheControl []string) error {
	z, x, y, err := parseTile(c)
	if err != nil {
		return err
	}
	enc, err := snap.TileCache.Tile(z, x, y)
	if errors.Is(err, tiles.ErrTileOutOfRange) {
		return badParam("z", "%v", err)
	}
	if err != nil {
		return err
	}
	req := c.Request()
	gz := len(enc.Gzip) > 0 && acceptsGzip(req.Header.Get("Accept-Encoding"))
	etag := tileETag(snap.TileTag, z, x, y, gz)
	h := c.Response().Header()
	h["Content-Type"] = hdrMVT
	h["Cache-Control"] = cacheControl
	varyEncoding(h)
	h["X-Gridmap-Version"] = snap.IDs
	h["Etag"] = []string{etag}
	if inm := req.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
		c.Response().WriteHeader(http.StatusNotModified)
		return nil
	}
	body := enc.Gzip
	if gz {
		h["Content-Encoding"] = hdrGzip
	} else if body, err = enc.MVT(); err != nil {
		return err
	}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	c.Response().WriteHeader(http.StatusOK)
	_, err = c.Response().Write(body)
	return err
}

// tileETag is the strong ETag of one tile of a version (its snapshot's
// tileTag) in one encoding: the gzip and identity bodies differ, so their
// ETags do too.
func tileETag(version string, z, x, y int, gz bool) string {
	b := make([]byte, 0, len(version)+32)
	b = append(b, '"')
	b = append(b, version...)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(z), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(x), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(y), 10)
	if gz {
		b = append(b, "-gz"...)
	}
	return string(append(b, '"'))
}

// etagMatch reports whether an If-None-Match value (a list of entity tags,
// possibly weak, or *) matches etag by the weak comparison of RFC 9110.
func etagMatch(inm, etag string) bool {
	for inm != "" {
		var tag string
		tag, inm, _ = strings.Cut(inm, ",")
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding value accepts gzip (a
// "gzip" coding without q=0).
func acceptsGzip(ae string) bool {
	for ae != "" {
		var part string
		part, ae, _ = strings.Cut(ae, ",")
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.TrimSpace(coding)
		if !strings.EqualFold(coding, "gzip") && !strings.EqualFold(coding, "x-gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return !(strings.HasPrefix(q, "q=0") && strings.Trim(q[2:], "0.") == "")
	}
	return false
}

// tileStats is the answer of GET /api/v1/tiles/stats.
type tileStats struct {
	Version string `json:"version"`
	tiles.CacheStats
}

// handleTileStats answers GET /api/v1/tiles/stats: the counters of the
// active version's tile cache (hits, misses, bytes, evictions, oversize
// tiles). They start at zero with each version.
func (s *Server) handleTileStats(c echo.Context) error {
	snap, err := s.snap()
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, tileStats{Version: snap.Manifest.ID, CacheStats: snap.TileCache.Stats()})
}
