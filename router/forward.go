package router

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// single forwards GET /api/v1/lookup to the shard of its point.
func (r *Router) single(w http.ResponseWriter, req *http.Request) {
	q := req.URL.Query()
	p, ok := queryPoint(q.Get("lon"), q.Get("lat"), q.Get("crs"))
	m, mok := nearestOf(q.Get("nearest"))
	if !ok || !mok {
		r.forward(w, req, 0, nil) // a lookup the router cannot read: the first shard says why
		return
	}
	if cands := r.candidates(p, m); len(cands) > 1 {
		r.nearestAnswer(w, req, cands)
	} else {
		r.forward(w, req, cands[0], nil)
	}
}

// queryPoint reads a lookup's point in WGS84; ok is false when it cannot.
func queryPoint(lonText, latText, crsName string) (orb.Point, bool) {
	lon, err1 := strconv.ParseFloat(lonText, 64)
	lat, err2 := strconv.ParseFloat(latText, 64)
	if err1 != nil || err2 != nil || math.IsNaN(lon) || math.IsNaN(lat) {
		return orb.Point{}, false
	}
	p := orb.Point{lon, lat}
	if crsName == "" {
		return p, true
	}
	c, err := crs.Parse(crsName)
	if err != nil {
		return orb.Point{}, false
	}
	return c.ToWGS84(p), true
}

// tile forwards a tile to the shard of the tile's centre.
func (r *Router) tile(w http.ResponseWriter, req *http.Request) {
	parts := strings.Split(strings.TrimPrefix(req.URL.Path, "/tiles/"), "/")
	s := 0
	if n := len(parts); n >= 3 {
		z, e1 := strconv.Atoi(parts[n-3])
		x, e2 := strconv.Atoi(parts[n-2])
		y, e3 := strconv.Atoi(strings.TrimSuffix(parts[n-1], ".mvt"))
		if e1 == nil && e2 == nil && e3 == nil && z >= 0 && z <= 30 {
			s = r.shardOf(maptile.New(uint32(x), uint32(y), maptile.Zoom(z)).Bound().Center())
		}
	}
	r.forward(w, req, s, nil)
}

// shardURL returns the URL of req's path and query at shard s.
func (r *Router) shardURL(req *http.Request, s int) string {
	u := *r.targets[s].URL
	u.Path = strings.TrimSuffix(u.Path, "/") + req.URL.Path
	u.RawQuery = req.URL.RawQuery
	return u.String()
}

// forward sends req to shard s as it is, with body (nil: none), and copies
// the answer back.
func (r *Router) forward(w http.ResponseWriter, req *http.Request, s int, body io.Reader) {
	resp, err := r.do(req, s, body)
	if err != nil {
		problem(w, http.StatusBadGateway, "shard_unavailable", fmt.Sprintf("shard %s: %v", r.targets[s].Name, err))
		return
	}
	defer resp.Body.Close()
	copyAnswer(w, resp.Header, resp.StatusCode, r.targets[s].Name)
	io.Copy(w, resp.Body) //nolint:errcheck // the client went away
}

// do sends req to shard s as it is, with body (nil: none).
func (r *Router) do(req *http.Request, s int, body io.Reader) (*http.Response, error) {
	out, err := http.NewRequestWithContext(req.Context(), req.Method, r.shardURL(req, s), body)
	if err != nil {
		return nil, err
	}
	copyHeaders(out.Header, req.Header, "Accept", "Accept-Encoding", "Authorization", "If-None-Match",
		"X-Request-Id", "Content-Type", "Content-Encoding")
	return r.client.Do(out)
}

// copyAnswer writes a shard's headers and status, naming the shard.
func copyAnswer(w http.ResponseWriter, header http.Header, status int, name string) {
	h := w.Header()
	for k, v := range header {
		h[k] = v
	}
	h.Set("X-Gridmap-Shard", name)
	w.WriteHeader(status)
}

// recorded is a shard's whole answer.
type recorded struct {
	name   string
	status int
	header http.Header
	body   []byte
}

// record asks shard s for req (no body) and keeps the whole answer; a
// shard that cannot be reached gives a 502 problem.
func (r *Router) record(req *http.Request, s int) *recorded {
	a := &recorded{name: r.targets[s].Name, status: http.StatusBadGateway, header: http.Header{}}
	resp, err := r.do(req, s, nil)
	if err == nil {
		defer resp.Body.Close()
		a.body, err = io.ReadAll(resp.Body)
		a.status, a.header = resp.StatusCode, resp.Header
	}
	if err != nil {
		a.status = http.StatusBadGateway
		a.header = http.Header{"Content-Type": {"application/problem+json"}}
		a.body, _ = json.Marshal(map[string]any{"type": "urn:gridmap:problem:shard_unavailable", "status": a.status,
			"title": http.StatusText(a.status), "code": "shard_unavailable", "detail": fmt.Sprintf("shard %s: %v", a.name, err)})
	}
	return a
}

// writeTo writes the answer to w.
func (a *recorded) writeTo(w http.ResponseWriter) {
	copyAnswer(w, a.header, a.status, a.name)
	w.Write(a.body) //nolint:errcheck // the client went away
}

// copyHeaders copies the named headers of src into dst.
func copyHeaders(dst, src http.Header, names ...string) {
	for _, n := range names {
		if v := src.Values(n); len(v) > 0 {
			dst[http.CanonicalHeaderKey(n)] = v
		}
	}
}

// ready answers 200 when every shard's /readyz does, else 503 naming the
// shards that are not.
func (r *Router) ready(w http.ResponseWriter, req *http.Request) {
	var down []string
	for _, t := range r.targets {
		out, err := http.NewRequestWithContext(req.Context(), http.MethodGet, t.URL.JoinPath("/readyz").String(), nil)
		if err == nil {
			var resp *http.Response
			if resp, err = r.client.Do(out); err == nil {
				io.Copy(io.Discard, resp.Body) //nolint:errcheck
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					err = fmt.Errorf("%s", resp.Status)
				}
			}
		}
		if err != nil {
			down = append(down, t.Name)
		}
	}
	if len(down) > 0 {
		problem(w, http.StatusServiceUnavailable, "not_ready", "shards not ready: "+strings.Join(down, ", "))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintln(w, `{"status":"ready"}`)
}

// list answers GET /api/v1/shards.
func (r *Router) list(w http.ResponseWriter) {
	type item struct {
		Name    string     `json:"name"`
		URL     string     `json:"url"`
		Version string     `json:"version"`
		BBox    [4]float64 `json:"bbox"`
	}
	out := make([]item, len(r.targets))
	for i, t := range r.targets {
		b := r.bounds[i]
		out[i] = item{t.Name, t.URL.Redacted(), r.versions[i], [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"shards": out}) //nolint:errcheck
}

// problem writes an RFC 9457 problem, as a shard writes its errors.
func problem(w http.ResponseWriter, status int, code, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{ //nolint:errcheck
		"type": "urn:gridmap:problem:" + code, "title": http.StatusText(status), "status": status,
		"detail": detail, "code": code,
	})
}
