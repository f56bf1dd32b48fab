// Package incidents draws incidents as a vector-tile layer: aggregated per
// grid at low zoom (one point per grid at its label point, with counts),
// the incidents themselves when zoomed in, so that a year of events draws
// at once. It is an incident.Sink.
package incidents

import (
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/version"
)

// Source holds the incident points for tiles; safe for concurrent use.
type Source struct{}

// New returns an empty source.
func New() *Source { return &Source{} }

// Put adds inc or replaces the point of the same ID.
func (s *Source) Put(inc incident.Incident) { panic("to be written (part tiles)") }

// Tile returns the MVT tile z/x/y of the incidents (layer "incidents"),
// drawn over the grids of snap; nil when it is empty.
func (s *Source) Tile(snap *version.Snapshot, z, x, y int) ([]byte, error) {
	panic("to be written")
}
