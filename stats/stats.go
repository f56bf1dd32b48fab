// Package stats holds the figures of incidents: an in-memory ledger of
// every incident (one compact row each, told by incident.Service as a
// Sink), the per-grid counts the wall colours by, and the answers of GET
// /api/v1/stats — per grid counts by status, category and source, closure
// rate, median and p90 handling time, overdue count, mean satisfaction;
// one grid with its children; a series by day or week. It knows nothing
// of HTTP or SQL.
package stats

import (
	"time"

	"github.com/gridmap/gridmap/households"
	"github.com/gridmap/gridmap/incident"
)

// Query asks for figures. Exactly one of Layer and Grid is set.
type Query struct {
	// Layer: one Figures per grid of this layer (by the incidents' chains).
	Layer string
	// Grid: the figures of this grid (any layer) and of each of its
	// children (the grids one layer finer in the incidents' chains).
	Grid string
	// From, To bound ReportedAt (From <= t < To); zero: unbounded.
	From, To time.Time
	// Category and Source, when not empty, keep only those.
	Category []string
	Source   []string
	// Series, "day" or "week" (weeks start on Monday, in Location), adds
	// a series of the totals over time; "" none.
	Series string
	// Location is the time zone of days and weeks; nil: Asia/Shanghai.
	Location *time.Location
}

// Figures are the figures of one grid (or of all, for Result.Total).
type Figures struct {
	Layer string `json:"layer,omitempty"`
	Code  string `json:"code,omitempty"`
	Name  string `json:"name,omitempty"`
	Total int    `json:"total"`
	// ByStatus, ByCategory and BySource count the incidents.
	ByStatus   map[incident.Status]int `json:"by_status"`
	ByCategory map[string]int          `json:"by_category"`
	BySource   map[string]int          `json:"by_source"`
	// Open counts those neither closed nor rejected.
	Open int `json:"open"`
	// Closed counts the closed ones; ClosureRate is Closed / (Total -
	// rejected), 0 when that is 0 (办结率).
	Closed      int     `json:"closed"`
	ClosureRate float64 `json:"closure_rate"`
	// MedianHandlingS and P90HandlingS are the median and 90th
	// percentile, in seconds, of the time from reported to handled over
	// the incidents handled (exact: nearest-rank); 0 when none.
	MedianHandlingS float64 `json:"median_handling_s"`
	P90HandlingS    float64 `json:"p90_handling_s"`
	Handled         int     `json:"handled"`
	// Overdue counts the incidents marked overdue (open or not).
	Overdue int `json:"overdue"`
	// Satisfaction is the mean rating over Rated rated incidents (0: none).
	Satisfaction float64 `json:"satisfaction"`
	Rated        int     `json:"rated"`
	// Households and HouseholdsIn describe the grid's households (户数)
	// in the version served (see package households); the ledger leaves
	// them nil, the server fills them.
	Households   *int                   `json:"households,omitempty"`
	HouseholdsIn *households.InChildren `json:"households_in_children,omitempty"`
}

// Point is one step of a series: the figures of the incidents reported in
// [Start, Start+step).
type Point struct {
	Start time.Time `json:"start"`
	Figures
}

// Result answers a Query.
type Result struct {
	Layer string `json:"layer,omitempty"`
	// Total sums every incident the query selected.
	Total Figures `json:"total"`
	// Grids: one per grid of Layer with at least one incident, by code.
	Grids []Figures `json:"grids,omitempty"`
	// Grid and Children answer a Grid query (Children by code).
	Grid     *Figures  `json:"grid,omitempty"`
	Children []Figures `json:"children,omitempty"`
	// Between counts the selected incidents in no grid of Layer (a Layer
	// query), or in Grid but in none of its children (a Grid query whose
	// layer has finer grids in some chain): for a partial layer such as
	// buildings, those between its grids, located to the grid around
	// them. Each selected incident is in Total once and in exactly one
	// of Grids (or Children) and Between; nil when there are none.
	Between *Figures `json:"between,omitempty"`
	Series  []Point  `json:"series,omitempty"`
}
