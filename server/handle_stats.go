package server

import (
	"net/http"

	"github.com/gridmap/gridmap/households"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/stats"
	"github.com/labstack/echo/v4"
)

// statsParams are the query parameters of GET /api/v1/stats.
var statsParams = []string{"layer", "grid", "from", "to", "category", "source", "series", "fields"}

// statsCounts is the answer of GET /api/v1/stats?layer=L&fields=counts.
type statsCounts struct {
	Layer  string      `json:"layer"`
	Counts []gridCount `json:"counts"`
}

// gridCount is an incident.GridCount without its layer (that of the
// answer), the wall's figures of one grid.
type gridCount struct {
	Code    string `json:"code"`
	Total   int    `json:"total"`
	Open    int    `json:"open"`
	Overdue int    `json:"overdue"`
	Closed  int    `json:"closed"`
}

// handleStats answers GET /api/v1/stats: the figures of every grid of a
// layer (?layer=towns), or of one grid and its children (?grid=CODE), of
// the incidents reported in [from, to) of the categories and sources
// given (comma-separated); series=day|week adds a series over time.
// fields=counts (with layer only) answers just what the wall colours by,
// the live counts of every grid of the layer (stats.Ledger.LayerCounts):
// O(grids) instead of a scan of every incident.
func (s *Server) handleStats(c echo.Context) error {
	if s.opts.Stats == nil {
		return &Error{Status: http.StatusServiceUnavailable, Code: "no_incidents", Message: "this server keeps no incidents"}
	}
	qp := c.QueryParams()
	q := stats.Query{Layer: qp.Get("layer"), Grid: qp.Get("grid"), Category: list(qp.Get("category")),
		Source: list(qp.Get("source")), Series: qp.Get("series"), Location: chinaTime}
	switch {
	case q.Layer == "" && q.Grid == "":
		return badParam("layer", "give layer=NAME (a figure per grid of the layer) or grid=CODE (a grid and its children)")
	case q.Layer != "" && q.Grid != "":
		return badParam("grid", "give layer or grid, not both")
	case q.Series != "" && q.Series != "day" && q.Series != "week":
		return badParam("series", "series=%q: want day or week", q.Series)
	}
	counts, err := countsOnly(qp.Get("fields"), &q, qp.Get("from")+qp.Get("to"))
	if err != nil {
		return err
	}
	if counts {
		return c.JSON(http.StatusOK, layerCounts(q.Layer, s.opts.Stats.LayerCounts(q.Layer)))
	}
	if q.From, err = timeParam(qp, "from"); err != nil {
		return err
	}
	if q.To, err = timeParam(qp, "to"); err != nil {
		return err
	}
	res, err := s.opts.Stats.Query(q)
	if err != nil {
		return err
	}
	if snap := s.versions.Current(); snap != nil {
		addHouseholds(&res, snap.Households)
	}
	return c.JSON(http.StatusOK, res)
}

// addHouseholds gives every grid's figures of res its households in the
// version served (package households: its own figure, else rolled up;
// and those of its children, its buildings' for a grid over a partial
// layer). A grid the version lacks (an incident located with an older
// version) gets none. A queried grid without incidents (no layer in its
// figures) is found by its code, and gets its layer too.
func addHouseholds(res *stats.Result, t *households.Table) {
	add := func(f *stats.Figures) {
		c, ok := t.Of(f.Layer, f.Code)
		if f.Layer == "" {
			f.Layer, c, ok = t.Find(f.Code)
		}
		if !ok {
			return
		}
		if c.Known {
			f.Households = &c.Households
		}
		if c.In != nil {
			in := *c.In
			f.HouseholdsIn = &in
		}
	}
	for i := range res.Grids {
		add(&res.Grids[i])
	}
	if res.Grid != nil {
		add(res.Grid)
	}
	for i := range res.Children {
		add(&res.Children[i])
	}
}

// countsOnly reports whether fields asks for the counts alone; a value
// other than "", all or counts, and counts with anything but a layer
// (grid, from, to, category, source, series: the live counts count every
// incident), are 400s. times is the from and to given, joined.
func countsOnly(fields string, q *stats.Query, times string) (bool, error) {
	switch fields {
	case "", "all":
		return false, nil
	case "counts":
	default:
		return false, badParam("fields", "fields=%q: want all or counts", fields)
	}
	if q.Grid != "" || times != "" || len(q.Category) > 0 || len(q.Source) > 0 || q.Series != "" {
		return false, badParam("fields", "fields=counts counts every incident of each grid of a layer: give layer alone, without grid, from, to, category, source or series")
	}
	return true, nil
}

// layerCounts is the answer of fields=counts from the counts of layer.
func layerCounts(layer string, counts []incident.GridCount) statsCounts {
	out := statsCounts{Layer: layer, Counts: make([]gridCount, len(counts))}
	for i, g := range counts {
		out.Counts[i] = gridCount{Code: g.Code, Total: g.Total, Open: g.Open, Overdue: g.Overdue, Closed: g.Closed}
	}
	return out
}
