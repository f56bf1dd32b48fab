package incident

import (
	"fmt"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/lookup"
	"github.com/gridmap/gridmap/version"
	"github.com/paulmach/orb"
)

// toWGS84 reads a point given as (lon, lat) degrees in the system named
// system (a name of geo/crs; "" = WGS84) and returns it in WGS84, with the
// system's canonical name. A bad name or coordinate is a *FieldError.
func toWGS84(lon, lat float64, system string) (orb.Point, string, error) {
	if field, msg := lookup.CheckLonLat(lon, lat); field != "" {
		return orb.Point{}, "", &FieldError{Field: field, Msg: msg}
	}
	c, err := crs.Parse(system)
	if err != nil {
		return orb.Point{}, "", &FieldError{Field: "crs", Msg: err.Error()}
	}
	if c == "" {
		c = crs.WGS84
	}
	return c.ToWGS84(orb.Point{lon, lat}), string(c), nil
}

// locate returns the chain of the WGS84 point p in snap, finest first:
// of the branches that hold p, the one whose finest hit is deepest (a
// covering grid before a nearest one). With nearestM > 0 a point in no
// grid takes the nearest grid within that many metres (Link.Nearest); a
// point between the grids of a partial layer (buildings) stays with the
// grid around it (index.Query.NearestOutside). A
// point in none wraps ErrOutside; the message names the point, which is
// not personal data, and nothing else of the report.
func locate(snap *version.Snapshot, p orb.Point, nearestM float64) ([]Link, error) {
	if snap == nil {
		return nil, ErrNoVersion
	}
	q := index.Query{NearestM: max(nearestM, 0), NearestOutside: true, BoundaryM: -1}
	var buf [16]index.Hit
	hits := snap.Index.AppendQuery(buf[:0], p[0], p[1], &q)
	if len(hits) == 0 {
		return nil, fmt.Errorf("%w: (%.6f, %.6f) WGS84 is in no grid of version %s nor within %g m of one", ErrOutside, p[0], p[1], snap.Manifest.ID, max(nearestM, 0))
	}
	best, bestScore := 0, -1
	d := snap.Data
	for i := 0; i < len(hits); {
		j := i
		for j < len(hits) && hits[j].Branch == hits[i].Branch {
			j++
		}
		score := 2 * d.Depth(d.Layers[hits[i].Layer].Name)
		if !hits[i].Nearest {
			score++
		}
		if score > bestScore {
			best, bestScore = i, score
		}
		i = j
	}
	var chain []Link
	for i := best; i < len(hits) && hits[i].Branch == hits[best].Branch; i++ {
		h := hits[i]
		g := snap.Index.Grid(h)
		chain = append(chain, Link{
			Layer: snap.Index.LayerName(h), Code: g.Code, Name: g.Name, Level: g.Level,
			Nearest: h.Nearest, DistanceM: float64(h.DistanceM),
		})
	}
	return chain, nil
}

// sameChain reports whether two chains name the same grids.
func sameChain(a, b []Link) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Layer != b[i].Layer || a[i].Code != b[i].Code {
			return false
		}
	}
	return true
}
