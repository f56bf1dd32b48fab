package main

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/gridmap/gridmap/config"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/sqlitestore"
)

// openIncidentStore opens the incident store of cfg: the embedded SQLite
// file DATA/incidents.db, or the PostgreSQL store of cfg.Store.
func openIncidentStore(ctx context.Context, cfg *config.Config) (incident.Store, error) {
	if isPostgresURL(cfg.Store) {
		// TODO(issue 19, h-pgincidents): incident/pgstore
		return nil, errors.New("the PostgreSQL incident store is not built yet")
	}
	return sqlitestore.Open(filepath.Join(cfg.Data, incidentsDB))
}
