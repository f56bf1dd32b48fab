// Package router is the HTTP front of a sharded deployment: it learns each
// shard's outline from the shard (GET /api/v1/outline) when it starts and
// forwards every lookup to the shard that owns the point (package shard),
// splitting a batch by shard, sending the parts at once and merging the
// answers in input order. Coordinates are (lon, lat); a lookup's crs is
// honoured to choose the shard (the shard converts again itself).
//
// What it forwards (docs/scaling.md):
//   - GET /api/v1/lookup: to the owner of (lon, lat); a point in no outline
//     to the nearest outline's shard, which answers "not found" (or the
//     nearest grid with nearest=M) as any gridmap does; a request it cannot
//     read (bad lon) to the first shard, whose 400 is the answer.
//   - POST /api/v1/lookup: JSON, NDJSON or CSV, buffered (not streamed, as
//     a shard does), split, fanned out and merged.
//   - GET /tiles/{z}/{x}/{y}[.mvt]: to the owner of the tile's centre
//     (else the nearest); a wall should rather be pointed at its province's
//     shard, whose tiles are whole.
//   - GET /healthz: the router is up; GET /readyz: every shard is ready;
//     GET /api/v1/shards: the shards, their versions and bounding boxes.
//
// Anything else is a 404: imports, incidents and the page go to a shard's
// own address.
package router

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gridmap/gridmap/shard"
	"github.com/paulmach/orb"
)

// Target is one shard as the operator names it.
type Target struct {
	// Name labels the shard (a province code or name) in answers and logs.
	Name string
	// URL is the shard's base URL (its load balancer), e.g.
	// http://js.gridmap.internal:8080.
	URL *url.URL
}

// Router forwards lookups to the shards. Its fields do not change after
// New; it is safe for concurrent use.
type Router struct {
	targets []Target
	// versions are the shards' versions when their outlines were read.
	versions []string
	bounds   []orb.Bound
	m        *shard.Map
	client   *http.Client
	// MaxBatchBytes bounds a batch body the router buffers.
	maxBatch int64
}

// Options configure New.
type Options struct {
	// Client sends the requests to the shards; nil: a client of its own.
	Client *http.Client
	// MaxBatchBytes bounds a batch body (it is buffered); 0: 256 MiB.
	MaxBatchBytes int64
}

// New reads each target's outline and returns a Router over them; it fails
// when a shard does not answer or sends a bad outline.
func New(ctx context.Context, targets []Target, o Options) (*Router, error) {
	if len(targets) == 0 {
		return nil, fmt.Errorf("router: no shards")
	}
	r := &Router{targets: targets, client: o.Client, maxBatch: o.MaxBatchBytes}
	if r.client == nil {
		r.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	}
	if r.maxBatch <= 0 {
		r.maxBatch = 256 << 20
	}
	outlines := make([]shard.Outline, len(targets))
	for i, t := range targets {
		o, v, err := r.fetchOutline(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("router: shard %s (%s): %w", t.Name, t.URL.Redacted(), err)
		}
		outlines[i] = o
		r.versions = append(r.versions, v)
		r.bounds = append(r.bounds, o.Bound())
	}
	r.m = shard.NewMap(outlines)
	return r, nil
}

// fetchOutline reads one shard's outline and the version it is of.
func (r *Router) fetchOutline(ctx context.Context, t Target) (shard.Outline, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL.JoinPath("/api/v1/outline").String(), nil)
	if err != nil {
		return nil, "", err
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("GET /api/v1/outline: %s", resp.Status)
	}
	o, err := shard.ParseOutline(resp.Body)
	return o, resp.Header.Get("X-Gridmap-Version"), err
}

// shardOf returns the shard to ask about p, (lon, lat) WGS84: its owner,
// else the nearest.
func (r *Router) shardOf(p orb.Point) int {
	if s := r.m.Owner(p); s >= 0 {
		return s
	}
	return r.m.Nearest(p)
}

// ServeHTTP routes a request (see the package doc).
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	p := req.URL.Path
	switch {
	case p == "/api/v1/lookup" && (req.Method == http.MethodGet || req.Method == http.MethodHead):
		r.single(w, req)
	case p == "/api/v1/lookup" && req.Method == http.MethodPost:
		r.batch(w, req)
	case strings.HasPrefix(p, "/tiles/") && req.Method == http.MethodGet:
		r.tile(w, req)
	case p == "/healthz":
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintln(w, `{"status":"ok"}`)
	case p == "/readyz":
		r.ready(w, req)
	case p == "/api/v1/shards":
		r.list(w)
	default:
		problem(w, http.StatusNotFound, "not_found",
			"the router answers lookups, tiles, /healthz, /readyz and /api/v1/shards; ask a shard for "+p)
	}
}
