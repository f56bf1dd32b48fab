package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/gridmap/gridmap/config"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/pgstore"
	"github.com/gridmap/gridmap/incident/sqlitestore"
	"github.com/gridmap/gridmap/internal/pgschema"
)

// openIncidentStore opens the incident store of cfg: the embedded SQLite
// file DATA/incidents.db, or the PostgreSQL store of cfg.Store, whose
// schema it first brings up to date (pgschema.Up: several replicas
// starting at once migrate it once).
func openIncidentStore(ctx context.Context, cfg *config.Config) (incident.Store, error) {
	if !isPostgresURL(cfg.Store) {
		return sqlitestore.Open(filepath.Join(cfg.Data, incidentsDB))
	}
	db, err := pgschema.Open(cfg.Store)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := pgschema.Up(ctx, db); err != nil {
		return nil, fmt.Errorf("incident store: %w", err)
	}
	return pgstore.Open(ctx, cfg.Store)
}
