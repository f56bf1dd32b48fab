package stats

import "github.com/gridmap/gridmap/incident"

// Ledger holds one compact row per incident and answers figures from them.
// It is an incident.Sink and an incident.Counter, safe for concurrent use.
type Ledger struct{}

// NewLedger returns an empty ledger.
func NewLedger() *Ledger { return &Ledger{} }

// Put adds inc, or replaces the row of the same ID.
func (l *Ledger) Put(inc incident.Incident) { panic("to be written (part stats)") }

// Counts returns the wall's figures of every grid of chain.
func (l *Ledger) Counts(chain []incident.Link) []incident.GridCount { panic("to be written") }

// LayerCounts returns the wall's figures of every grid of layer that has
// incidents, by code.
func (l *Ledger) LayerCounts(layer string) []incident.GridCount { panic("to be written") }

// Query answers q; an unknown layer or grid gives empty figures, a bad
// query (neither or both of Layer and Grid, Series not day/week) an
// *incident.FieldError.
func (l *Ledger) Query(q Query) (Result, error) { panic("to be written") }

// Len returns how many incidents the ledger holds.
func (l *Ledger) Len() int { panic("to be written") }
