package server

import (
	"errors"
	"hash/fnv"
	"net/http"
	"strconv"

	"github.com/gridmap/gridmap/tiles"
	tileincidents "github.com/gridmap/gridmap/tiles/incidents"
	"github.com/labstack/echo/v4"
)

// incidentTileParams are the query parameters of an incident tile: the
// filters, and the cache tags the boundary tiles take.
var incidentTileParams = append([]string{"status", "category"}, tileParams...)

// handleIncidentTile answers GET /tiles/incidents/{z}/{x}/{y}.mvt: the
// incident layer (tiles/incidents) of the active version's grids, filtered
// by ?status=a,b and ?category=x,y. Incidents change all the time: the
// answer is revalidated (Cache-Control: no-cache) by an ETag of the
// version, the incident source's generation, the tile, the filter and the
// encoding (304 when it matches, without drawing). A tile with no incident
// is a 204. 503 unavailable when the server has no incident source.
func (s *Server) handleIncidentTile(c echo.Context) error {
	src := s.opts.IncidentTiles
	if src == nil {
		return &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "this server draws no incident tiles"}
	}
	snap, err := s.snap()
	if err != nil {
		return err
	}
	z, x, y, err := parseTile(c)
	if err != nil {
		return err
	}
	var f tileincidents.Filter
	status, category := c.QueryParam("status"), c.QueryParam("category")
	if f.Statuses, err = tileincidents.ParseStatuses(status); err != nil {
		return badParam("status", "%v", err)
	}
	f.Categories = tileincidents.ParseCategories(category)

	req := c.Request()
	gz := acceptsGzip(req.Header.Get("Accept-Encoding"))
	tag := func(gen uint64) string {
		h := fnv.New64a()
		h.Write([]byte(status))
		h.Write([]byte{0})
		h.Write([]byte(category))
		b := append([]byte("i."), snap.TileTag...)
		b = append(append(b, '.'), strconv.FormatUint(gen, 36)...)
		b = append(append(b, '.'), strconv.FormatUint(h.Sum64(), 36)...)
		return tileETag(string(b), z, x, y, gz)
	}
	h := c.Response().Header()
	h["Cache-Control"] = hdrNoCache
	varyEncoding(h)
	h["X-Gridmap-Version"] = snap.IDs
	if inm := req.Header.Get("If-None-Match"); inm != "" {
		if etag := tag(src.Generation()); etagMatch(inm, etag) {
			h["Etag"] = []string{etag}
			c.Response().WriteHeader(http.StatusNotModified)
			return nil
		}
	}
	raw, gen, err := src.TileAt(snap, z, x, y, f)
	if errors.Is(err, tiles.ErrTileOutOfRange) {
		return badParam("z", "%v", err)
	}
	if err != nil {
		return err
	}
	h["Etag"] = []string{tag(gen)}
	if len(raw) == 0 {
		c.Response().WriteHeader(http.StatusNoContent)
		return nil
	}
	body := raw
	if gz {
		if body, err = tiles.Gzip(raw); err != nil {
			return err
		}
		h["Content-Encoding"] = hdrGzip
	}
	h["Content-Type"] = hdrMVT
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	c.Response().WriteHeader(http.StatusOK)
	_, err = c.Response().Write(body)
	return err
}
