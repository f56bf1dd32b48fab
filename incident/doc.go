// Package incident holds what the grids exist for: incidents (a 12345
// hotline call, a 110 report, a grid worker's report, a sensor alarm), each
// located in the grids of a boundary version and followed through the
// closed loop reported → assessed → dispatched → handling → handled →
// feedback → closed (plus returned and rejected), by the roles allowed to
// move it (flow.go), dispatched to the people of its grids (package staff)
// and escalated when overdue.
//
// It knows nothing of HTTP or SQL: Service is what the HTTP layer and the
// CLI call, Store (store.go) is where incidents last (package
// incident/sqlitestore by default, incident/pgstore shared by several
// replicas: a Follower, follow.go), and Event (event.go) is what the live
// wall is told. Copy (copy.go) moves a store's whole content into another.
//
// Coordinates are (lon, lat) degrees; Incident.Lon/Lat are WGS84.
package incident
