package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/lookup"
	"github.com/gridmap/gridmap/lookup/decimal"
	"github.com/labstack/echo/v4"
)

// nextParam cuts the first key=value pair off the raw query string raw: its
// key (unescaped when it holds an escape, which allocates), its raw value
// and the rest of the query.
func nextParam(raw string) (k, v, rest string) {
	var kv string
	kv, rest, _ = strings.Cut(raw, "&")
	k, v, _ = strings.Cut(kv, "=")
	if strings.ContainsAny(k, "%+") {
		if u, err := url.QueryUnescape(k); err == nil {
			k = u
		}
	}
	return k, v, rest
}

// checkParams returns the 400 of the first parameter of the raw query
// string raw that is neither in known nor the API key, or nil. Empty pairs
// ("a=1&&b=2") are skipped. It allocates nothing when every key is known and
// unescaped.
func checkParams(raw string, known []string) error {
	for raw != "" {
		var k, v string
		k, v, raw = nextParam(raw)
		if k == keyParam || k == "" && v == "" || slices.Contains(known, k) {
			continue
		}
		return unknownParam(k, known)
	}
	return nil
}

// lookupParams holds the raw values of the lookup parameters of a query
// string, read in one pass (a single lookup reads them on every request).
type lookupParams struct {
	lon, lat, crs, layers, nearest, boundary string
	hasLon, hasLat, hasCRS, hasLayers        bool
	hasNearest, hasBoundary                  bool
	// with asks for more in a single lookup's answer ("staff")
	with    string
	hasWith bool
	// unknown is the first key that is no lookup parameter, nor the key.
	unknown    string
	hasUnknown bool
}

// The query parameters of a single lookup (GET) and of a batch (POST),
// besides the API key.
var (
	lookupParamNames = []string{"lon", "lat", "crs", "layers", "nearest", "boundary", "with"}
	batchParamNames  = lookupParamNames[2:6]
)

// scanLookupParams reads the lookup parameters of a raw query string; the
// first occurrence of a key wins, and the first unknown key is kept for
// check. It allocates only for keys and values that need unescaping.
func scanLookupParams(raw string) lookupParams {
	var p lookupParams
	for raw != "" {
		var k, v string
		k, v, raw = nextParam(raw)
		var dst *string
		var has *bool
		switch k {
		case "lon":
			dst, has = &p.lon, &p.hasLon
		case "lat":
			dst, has = &p.lat, &p.hasLat
		case "crs":
			dst, has = &p.crs, &p.hasCRS
		case "layers":
			dst, has = &p.layers, &p.hasLayers
		case "nearest":
			dst, has = &p.nearest, &p.hasNearest
		case "boundary":
			dst, has = &p.boundary, &p.hasBoundary
		case "with":
			dst, has = &p.with, &p.hasWith
		case keyParam:
			continue
		default:
			if !p.hasUnknown && (k != "" || v != "") {
				p.unknown, p.hasUnknown = k, true
			}
			continue
		}
		if *has {
			continue
		}
		if strings.ContainsAny(v, "%+") {
			if u, err := url.QueryUnescape(v); err == nil {
				v = u
			}
		}
		*dst, *has = v, true
	}
	return p
}

// checkLookup returns the 400 of a parameter a single lookup does not
// take, or nil.
func (p *lookupParams) checkLookup() error {
	if p.hasUnknown {
		return unknownParam(p.unknown, lookupParamNames)
	}
	return nil
}

// checkBatch returns the 400 of a parameter a batch does not take (its
// points are in the body, so lon and lat are refused too), or nil.
func (p *lookupParams) checkBatch() error {
	switch {
	case p.hasUnknown:
		return unknownParam(p.unknown, batchParamNames)
	case p.hasLon:
		return unknownParam("lon", batchParamNames)
	case p.hasLat:
		return unknownParam("lat", batchParamNames)
	case p.hasWith:
		return unknownParam("with", batchParamNames)
	}
	return nil
}

// parseQuery reads the raw query string of a single lookup, once, into
// buf's query value: the point, each coordinate parsed into a float64 (its
// text kept for the answer to echo), then the options, in buf's room.
func (buf *lookupBuf) parseQuery(raw string, d *geo.Dataset) (*lookup.Query, error) {
	p := scanLookupParams(raw)
	if err := p.checkLookup(); err != nil {
		return nil, err
	}
	lon, err := coordParam("lon", p.lon, p.hasLon)
	if err != nil {
		return nil, err
	}
	lat, err := coordParam("lat", p.lat, p.hasLat)
	if err != nil {
		return nil, err
	}
	// the options first: a projected crs says so before lon is found out
	// of the range of degrees
	buf.opts.Query.Layers = buf.layers[:0]
	opts, err := lookupOptions(&p, d, &buf.opts)
	if cap(buf.opts.Query.Layers) > cap(buf.layers) {
		buf.layers = buf.opts.Query.Layers
	}
	if err != nil {
		return nil, err
	}
	if field, msg := lookup.CheckLonLat(lon, lat); field != "" {
		return nil, badParam(field, "%s", msg)
	}
	if buf.withStaff = p.hasWith; p.hasWith && p.with != "staff" {
		return nil, badParam("with", "with=%q: want staff (the people of every grid of the chain)", p.with)
	}
	buf.q = lookup.Query{Lon: lon, Lat: lat, LonText: p.lon, LatText: p.lat, Options: opts}
	return &buf.q, nil
}

// coordParam parses the required coordinate parameter key ("lon" or "lat"),
// in degrees, whose raw value is v (has: whether it was given).
func coordParam(key, v string, has bool) (float64, error) {
	if !has || v == "" {
		return 0, badParam(key, "query parameter %s is required", key)
	}
	f, err := lookup.ParseCoord(key, v)
	if err != nil {
		return 0, badParam(key, "%v", err)
	}
	return f, nil
}

// lookupOptions reads the optional lookup parameters: crs (a name of
// geo/crs's one list, geographic systems only), layers (comma-separated names), nearest (metres) and
// boundary (metres) into o, which the caller owns: the room of
// o.Query.Layers is reused for the layer filter. It returns nil when none
// is given, and o otherwise, so a lookup allocates nothing either way.
func lookupOptions(p *lookupParams, d *geo.Dataset, o *lookup.Options) (*lookup.Options, error) {
	c, layers, near, bnd := p.crs, p.layers, p.nearest, p.boundary
	hasLayers, hasNear, hasBnd := p.hasLayers, p.hasNearest, p.hasBoundary
	if !p.hasCRS && !hasLayers && !hasNear && !hasBnd {
		return nil, nil
	}
	keep := o.Query.Layers[:0]
	*o = lookup.Options{}
	var err error
	if o.CRS, err = crs.Parse(c); err != nil {
		return nil, badParam("crs", "%v", err)
	}
	if hasLayers {
		if strings.Trim(layers, ", ") == "" {
			return nil, badParam("layers", "layers=%q names no layer (leave it out for all layers)", layers)
		}
		o.Query.Layers = append(keep, make([]bool, len(d.Layers))...)
		for rest := layers; rest != ""; {
			var name string
			name, rest, _ = strings.Cut(rest, ",")
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			found := false
			for i, l := range d.Layers {
				if l.Name == name {
					o.Query.Layers[i], found = true, true
				}
			}
			if !found {
				var names []string
				for _, l := range d.Layers {
					names = append(names, l.Name)
				}
				return nil, badParam("layers", "unknown layer %q (layers: %s)", name, strings.Join(names, ", "))
			}
		}
	}
	if hasNear {
		f, ok := decimal.Parse(near)
		if !ok || !(f >= 0 && f <= 100000) {
			return nil, badParam("nearest", "nearest=%q: want a distance in metres from 0 to 100000", near)
		}
		o.Query.NearestM = f
	}
	if hasBnd {
		f, ok := decimal.Parse(bnd)
		if !ok || !(f >= 0 && f <= 1000) {
			return nil, badParam("boundary", "boundary=%q: want a tolerance in metres from 0 to 1000", bnd)
		}
		if f == 0 {
			f = -1 // 0 turns the flag off
		}
		o.Query.BoundaryM = f
	}
	return o, nil
}

// routeParams names the query parameters of each route that takes any, by
// route name (routes.go), besides the API key, which every route takes. A
// route not listed takes none.
var routeParams = map[string][]string{
	"search":        {"q", "limit"},
	"tile":          tileParams,
	"tile_version":  tileParams,
	"incident_tile": incidentTileParams,
	"incidents":     incidentListParams,
	"me_incidents":  myIncidentsParams,
	"stats":         statsParams,
	"stream":        streamParams,
	"staff":         {"grid"},
}

// tileParams are the cache tags a client may add to a tile URL, which the
// server ignores (the URL's version and the ETag decide what is sent): t,
// which the versioned URLs of tiles.json carry, and v, which the page adds
// to the latest tiles' URL when tiles.json names no versioned one.
var tileParams = []string{"t", "v"}

// uncheckedRoutes read their query without checkQuery: the lookups check
// theirs as they read them (scanLookupParams, allocation free), and the
// page, which a person opens in a browser, ignores what it does not know
// (links to it may carry anything; it reads ?theme= itself).
var uncheckedRoutes = map[string]bool{"lookup": true, "lookup_batch": true, "page": true}

// checkQuery refuses, with a 400 naming it, a query parameter that route r
// does not take. OPTIONS routes (CORS preflights, which carry the query of
// the request they announce) are not checked.
func checkQuery(r route, next echo.HandlerFunc) echo.HandlerFunc {
	if r.method == http.MethodOptions || uncheckedRoutes[r.name] {
		return next
	}
	known := routeParams[r.name]
	return func(c echo.Context) error {
		if err := checkParams(c.Request().URL.RawQuery, known); err != nil {
			return err
		}
		return next(c)
	}
}
