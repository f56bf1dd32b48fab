// Package live fans the incident events out to the wall's streams (GET
// /api/v1/stream): a Hub keeps the latest events in a ring so that a
// client reconnecting with Last-Event-ID resumes where it left off. It
// knows nothing of HTTP.
package live

import "github.com/gridmap/gridmap/incident"

// Hub fans events out to subscribers; an incident.Publisher.
type Hub struct{}

// NewHub returns a hub that keeps the last ring events.
func NewHub(ring int) *Hub { return &Hub{} }

// Publish sends e to every subscriber (never blocks on a slow one).
func (h *Hub) Publish(e incident.Event) { panic("to be written (part http)") }
