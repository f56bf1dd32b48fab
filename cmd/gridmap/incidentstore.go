package main

import (
	"context"
	"path/filepath"

	"github.com/gridmap/gridmap/config"
	"github.com/gridmap/gridmap/incident"
	pgincidents "github.com/gridmap/gridmap/incident/pgstore"
	"github.com/gridmap/gridmap/incident/sqlitestore"
)

// openIncidentStore opens the incident store of cfg: the embedded SQLite
// file DATA/incidents.db, or the PostgreSQL store of cfg.Store.
func openIncidentStore(ctx context.Context, cfg *config.Config) (incident.Store, error) {
	if isPostgresURL(cfg.Store) {
		// h-scaling: wired to measure serve --store (h-pgincidents owns this)
		return pgincidents.Open(ctx, cfg.Store)
	}
	return sqlitestore.Open(filepath.Join(cfg.Data, incidentsDB))
}
