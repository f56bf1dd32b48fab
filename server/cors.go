package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
)

// CORSOptions configure cross-origin access (CORS) to the read APIs
// (lookup, tiles, tiles.json, search, versions, config, events), so that a
// web map on another origin (a MapLibre or Leaflet page of another system)
// can read them. Import and admin routes never answer cross-origin
// requests, whatever the options.
type CORSOptions struct {
	// Origins are the origins ("https://map.example.gov.cn", scheme, host
	// and port as a browser sends them in Origin) allowed to read the read
	// APIs, or the one entry "*" for any origin. nil means ["*"], as the
	// read APIs are open by default; an empty non-nil list allows none.
	Origins []string
}

// DefaultCORSOrigins are the origins of CORSOptions.Origins when nil.
var DefaultCORSOrigins = []string{"*"}

// validate checks every origin: "*" alone, or scheme://host[:port].
func (o CORSOptions) validate() error {
	for _, v := range o.Origins {
		if v == "*" {
			if len(o.Origins) > 1 {
				return fmt.Errorf("server: cors origins: \"*\" allows every origin and cannot be listed with others")
			}
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
			return fmt.Errorf("server: cors origin %q is not \"*\" or scheme://host[:port] (no path, no trailing slash)", v)
		}
	}
	return nil
}

// corsExpose are the response headers a cross-origin script may read
// beyond the CORS-safelisted ones: the tile's ETag, the request id, when
// to retry, and the version served.
const corsExpose = "ETag, X-Request-ID, Retry-After, X-Gridmap-Version, WWW-Authenticate"

// corsAllowHeaders are the request headers a cross-origin request of the
// read APIs may carry.
const corsAllowHeaders = "Authorization, Content-Type, Content-Encoding, X-Request-ID"

// corsMaxAge is how long, in seconds, a browser may keep a preflight's
// answer: 2 hours, Chromium's cap (Firefox takes up to 24 h).
const corsMaxAge = "7200"

// Header values of the CORS answers, made once (no allocation per request).
var (
	hdrCORSAny       = []string{"*"}
	hdrCORSExpose    = []string{corsExpose}
	hdrCORSHeaders   = []string{corsAllowHeaders}
	hdrCORSMaxAge    = []string{corsMaxAge}
	hdrVaryOrigin    = []string{"Origin"}
	hdrVaryPreflight = []string{"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"}
	// hdrVaryOriginEncoding is Vary of a tile when the origins are a list.
	hdrVaryOriginEncoding = []string{"Origin", "Accept-Encoding"}
)

// corsPolicy is CORSOptions made ready for requests: the header value of
// each allowed origin, so that echoing one allocates nothing.
type corsPolicy struct {
	any     bool                // every origin ("*")
	origins map[string][]string // allowed origin → its header value
}

func newCORSPolicy(o CORSOptions) *corsPolicy {
	origins := o.Origins
	if origins == nil {
		origins = DefaultCORSOrigins
	}
	p := &corsPolicy{origins: map[string][]string{}}
	for _, v := range origins {
		if v == "*" {
			p.any = true
			continue
		}
		p.origins[strings.ToLower(v)] = []string{v}
	}
	return p
}

// allow returns the Access-Control-Allow-Origin value for a request's
// Origin, or nil when that origin may not read.
func (p *corsPolicy) allow(origin string) []string {
	if p.any {
		return hdrCORSAny
	}
	if v, ok := p.origins[origin]; ok {
		return v
	}
	// browsers send the origin in lower case; an operator may not have
	// (the lookup allocates only then)
	return p.origins[strings.ToLower(origin)]
}

// cors lets pages of the allowed origins read the read routes
// (accessRead): it sets Access-Control-Allow-Origin and
// Access-Control-Expose-Headers before the handler runs, so that errors
// carry them too, and Vary: Origin when the answer depends on the origin.
// Other routes pass through untouched: no import or admin route answers a
// cross-origin request.
func (s *Server) cors(r route, next echo.HandlerFunc) echo.HandlerFunc {
	if r.access != accessRead {
		return next
	}
	p := newCORSPolicy(s.opts.CORS)
	return func(c echo.Context) error {
		h := c.Response().Header()
		if !p.any {
			h["Vary"] = hdrVaryOrigin
		}
		if origin := c.Request().Header["Origin"]; len(origin) == 1 {
			if v := p.allow(origin[0]); v != nil {
				h["Access-Control-Allow-Origin"] = v
				h["Access-Control-Expose-Headers"] = hdrCORSExpose
			}
		}
		return next(c)
	}
}

// varyEncoding adds Accept-Encoding to the Vary of h, after the Origin
// that cors may have set, allocating nothing in either case.
func varyEncoding(h http.Header) {
	switch v := h["Vary"]; {
	case len(v) == 0:
		h["Vary"] = hdrVary
	case len(v) == 1 && v[0] == "Origin":
		h["Vary"] = hdrVaryOriginEncoding
	default:
		h["Vary"] = append(v[:len(v):len(v)], "Accept-Encoding") // a copy: v may be shared
	}
}

// preflights returns an OPTIONS route for every path of the read routes in
// table, answering browsers' CORS preflight requests (and plain OPTIONS
// requests with Allow). They are open: a browser sends no credentials in a
// preflight.
func (s *Server) preflights(table []route) []route {
	methods := map[string][]string{}
	var paths []string
	for _, r := range table {
		if r.access != accessRead {
			continue
		}
		if _, ok := methods[r.path]; !ok {
			paths = append(paths, r.path)
		}
		methods[r.path] = append(methods[r.path], r.method)
		if r.method == http.MethodGet && !slices.Contains(methods[r.path], http.MethodHead) && !eventStream(r) {
			methods[r.path] = append(methods[r.path], http.MethodHead)
		}
	}
	p := newCORSPolicy(s.opts.CORS)
	out := make([]route, 0, len(paths))
	for _, path := range paths {
		allow := []string{strings.Join(append(methods[path], http.MethodOptions), ", ")}
		out = append(out, route{http.MethodOptions, path, "preflight", accessOpen, false, preflight(p, allow)})
	}
	return out
}

// preflight answers OPTIONS of one path with 204 and Allow (the path's
// methods); when the request comes from an allowed origin, also the CORS
// headers that let its script send the path's methods with
// corsAllowHeaders. A preflight from another origin gets no CORS header,
// and the browser then refuses the request.
func preflight(p *corsPolicy, allow []string) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h["Allow"] = allow
		if !p.any {
			h["Vary"] = hdrVaryPreflight
		}
		if origin := c.Request().Header.Get("Origin"); origin != "" {
			if v := p.allow(origin); v != nil {
				h["Access-Control-Allow-Origin"] = v
				h["Access-Control-Allow-Methods"] = allow
				h["Access-Control-Allow-Headers"] = hdrCORSHeaders
				h["Access-Control-Max-Age"] = hdrCORSMaxAge
			}
		}
		return c.NoContent(http.StatusNoContent)
	}
}
