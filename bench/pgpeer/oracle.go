package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// opoint is one point checked against the oracle.
type opoint struct {
	id       int
	lon, lat float64
	kind     string
}

// oracle compares gridmap's owner in every layer with the set of grids whose
// closed polygon covers the point by PostGIS (ST_Covers): gridmap's answer
// must be one of them, and must exist when the set is not empty, except on
// the outer border of the coverage, which the semi-open rule gives to no
// grid on its east and north sides (reported apart).
func oracle(ctx context.Context, dsn, url, truth string, nRandom, nBorder int, seed int64) error {
	var pts []opoint
	add := func(lon, lat float64, kind string) {
		pts = append(pts, opoint{id: len(pts) + 1, lon: lon, lat: lat, kind: kind})
	}
	if truth != "" {
		tp, err := readTruth(truth)
		if err != nil {
			return err
		}
		for _, p := range tp {
			add(p.lon, p.lat, "truth-"+p.kind)
		}
	}
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	var b [4]float64
	if err := c.QueryRow(ctx, `SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry AS e FROM county) s`).Scan(&b[0], &b[1], &b[2], &b[3]); err != nil {
		return err
	}
	rng := rand.New(rand.NewSource(seed))
	for i := 0; i < nRandom; i++ {
		add(b[0]+rng.Float64()*(b[2]-b[0]), b[1]+rng.Float64()*(b[3]-b[1]), "random")
	}
	if nBorder > 0 {
		verts, mids, err := borderPoints(truthDir(truth))
		if err != nil {
			return err
		}
		for _, set := range []struct {
			kind string
			ps   []orb.Point
		}{{"shared-vertex", verts}, {"shared-edge-midpoint", mids}} {
			rng.Shuffle(len(set.ps), func(i, j int) { set.ps[i], set.ps[j] = set.ps[j], set.ps[i] })
			for i := 0; i < len(set.ps) && i < nBorder/2; i++ {
				add(set.ps[i][0], set.ps[i][1], set.kind)
			}
		}
	}
	// PostGIS: the covering set of every point in every layer.
	for _, q := range []string{"DROP TABLE IF EXISTS opts", "CREATE TABLE opts (id int PRIMARY KEY, lon float8, lat float8, kind text, geom geometry(Point, 4326))"} {
		if _, err := c.Exec(ctx, q); err != nil {
			return err
		}
	}
	rows := make([][]any, len(pts))
	for i, p := range pts {
		rows[i] = []any{p.id, p.lon, p.lat, p.kind}
	}
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"opts"}, []string{"id", "lon", "lat", "kind"}, pgx.CopyFromRows(rows)); err != nil {
		return err
	}
	if _, err := c.Exec(ctx, "UPDATE opts SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326); ANALYZE opts"); err != nil {
		return err
	}
	covers := map[string]map[int][]string{}
	for _, l := range layerNames {
		m := map[int][]string{}
		rs, err := c.Query(ctx, "SELECT p.id, m.code FROM opts p JOIN "+l+" m ON ST_Covers(m.geom, p.geom)")
		if err != nil {
			return err
		}
		for rs.Next() {
			var id int
			var code string
			if err := rs.Scan(&id, &code); err != nil {
				return err
			}
			m[id] = append(m[id], code)
		}
		if err := rs.Err(); err != nil {
			return err
		}
		covers[l] = m
	}
	onBorder := map[int]bool{}
	rs, err := c.Query(ctx, "SELECT p.id FROM opts p, county c WHERE ST_Intersects(ST_Boundary(c.geom), p.geom)")
	if err != nil {
		return err
	}
	for rs.Next() {
		var id int
		rs.Scan(&id)
		onBorder[id] = true
	}
	// Distance (degrees) of points outside the county to it.
	outside := map[int]float64{}
	rs, err = c.Query(ctx, "SELECT p.id, ST_Distance(c.geom, p.geom) FROM opts p, county c WHERE NOT ST_Covers(c.geom, p.geom) AND ST_DWithin(c.geom, p.geom, 1e-6)")
	if err != nil {
		return err
	}
	for rs.Next() {
		var id int
		var d float64
		rs.Scan(&id, &d)
		outside[id] = d
	}
	// gridmap: one CSV batch.
	answers, err := gridmapAnswers(url, pts)
	if err != nil {
		return err
	}
	type key struct{ layer, kind, outcome string }
	counts := map[key]int{}
	var bad []map[string]any
	for _, p := range pts {
		for _, l := range layerNames {
			set := covers[l][p.id]
			got := answers[p.id][l]
			outcome := "ok"
			switch {
			case got == "" && len(set) == 0:
				outcome = "ok-outside"
			case got == "" && onBorder[p.id]:
				outcome = "unowned-outer-border"
			case got == "":
				outcome = "MISSING"
			case len(set) == 0 || !contains(set, got):
				outcome = "WRONG"
			case len(set) > 1:
				outcome = "ok-shared"
			}
			counts[key{l, p.kind, outcome}]++
			if outcome == "MISSING" || outcome == "WRONG" || outcome == "unowned-outer-border" {
				if len(bad) < 200 {
					sort.Strings(set)
					bad = append(bad, map[string]any{"layer": l, "kind": p.kind, "outcome": outcome,
						"lon": strconv.FormatFloat(p.lon, 'f', -1, 64), "lat": strconv.FormatFloat(p.lat, 'f', -1, 64),
						"gridmap": got, "st_covers": strings.Join(set, ";"), "deg_outside_county": outside[p.id]})
				}
			}
		}
	}
	var keys []key
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.layer != b.layer {
			return a.layer < b.layer
		}
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return a.outcome < b.outcome
	})
	for _, k := range keys {
		emit(map[string]any{"peer": "postgis", "mode": "oracle-count", "layer": k.layer, "kind": k.kind, "outcome": k.outcome, "n": counts[k]})
	}
	for _, m := range bad {
		m["peer"], m["mode"] = "postgis", "oracle-mismatch"
		emit(m)
	}
	kinds := map[string]int{}
	for _, p := range pts {
		kinds[p.kind]++
	}
	emit(map[string]any{"peer": "postgis", "mode": "oracle-summary", "points": len(pts), "kinds": kinds})
	return nil
}

func contains(set []string, s string) bool {
	for _, v := range set {
		if v == s {
			return true
		}
	}
	return false
}

func truthDir(truth string) string {
	if truth == "" {
		return jiangyinDir()
	}
	return filepath.Dir(truth)
}

func readTruth(path string) ([]opoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	var out []opoint
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if i == 0 || len(rec) < 4 {
			continue
		}
		lon, e1 := strconv.ParseFloat(rec[1], 64)
		lat, e2 := strconv.ParseFloat(rec[2], 64)
		if e1 != nil || e2 != nil {
			continue
		}
		out = append(out, opoint{lon: lon, lat: lat, kind: rec[3]})
	}
	return out, nil
}

// borderPoints returns the vertices used by two or more micro grids and the
// midpoints of edges used by two (in opposite directions), sorted.
func borderPoints(dir string) (verts, mids []orb.Point, err error) {
	b, err := os.ReadFile(filepath.Join(dir, "microgrids.geojson"))
	if err != nil {
		return nil, nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, nil, err
	}
	vcount := map[orb.Point]int{}
	ecount := map[[2]orb.Point]int{}
	for _, f := range fc.Features {
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		}
		seen := map[orb.Point]bool{}
		for _, p := range mp {
			for _, r := range p {
				for i := 0; i+1 < len(r); i++ {
					if !seen[r[i]] {
						seen[r[i]] = true
						vcount[r[i]]++
					}
					a, z := r[i], r[i+1]
					if z[0] < a[0] || (z[0] == a[0] && z[1] < a[1]) {
						a, z = z, a
					}
					ecount[[2]orb.Point{a, z}]++
				}
			}
		}
	}
	for v, n := range vcount {
		if n >= 2 {
			verts = append(verts, v)
		}
	}
	for e, n := range ecount {
		if n >= 2 {
			mids = append(mids, orb.Point{(e[0][0] + e[1][0]) / 2, (e[0][1] + e[1][1]) / 2})
		}
	}
	less := func(ps []orb.Point) func(i, j int) bool {
		return func(i, j int) bool {
			if ps[i][0] != ps[j][0] {
				return ps[i][0] < ps[j][0]
			}
			return ps[i][1] < ps[j][1]
		}
	}
	sort.Slice(verts, less(verts))
	sort.Slice(mids, less(mids))
	return verts, mids, nil
}

// gridmapAnswers posts the points as one CSV batch (with a Content-Length)
// and returns, per point id, the code gridmap gives in every layer.
func gridmapAnswers(url string, pts []opoint) (map[int]map[string]string, error) {
	var body bytes.Buffer
	body.WriteString("id,lon,lat\n")
	for _, p := range pts {
		fmt.Fprintf(&body, "%d,%s,%s\n", p.id, strconv.FormatFloat(p.lon, 'f', -1, 64), strconv.FormatFloat(p.lat, 'f', -1, 64))
	}
	resp, err := http.Post(url, "text/csv", &body)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return nil, fmt.Errorf("gridmap: status %d: %s", resp.StatusCode, b)
	}
	r := csv.NewReader(resp.Body)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, err
	}
	out := map[int]map[string]string{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		id, _ := strconv.Atoi(rec[0])
		m := map[string]string{}
		for i := 3; i < len(rec) && i < len(head); i++ {
			m[head[i]] = rec[i]
		}
		out[id] = m
	}
	if len(out) != len(pts) {
		return nil, fmt.Errorf("gridmap answered %d of %d points", len(out), len(pts))
	}
	return out, nil
}
