package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations bring the schema from version i to i+1 (PRAGMA user_version
// holds how many ran). Append only: a released step never changes.
var migrations = []string{
	// 1: incidents, their grids, their history, idempotency keys, rosters.
	`
CREATE TABLE incidents (
	id            INTEGER PRIMARY KEY,
	status        TEXT    NOT NULL,
	lon           REAL    NOT NULL,
	lat           REAL    NOT NULL,
	crs           TEXT    NOT NULL DEFAULT '',
	input_lon     REAL    NOT NULL DEFAULT 0,
	input_lat     REAL    NOT NULL DEFAULT 0,
	category      TEXT    NOT NULL DEFAULT '',
	source        TEXT    NOT NULL DEFAULT '',
	external_ref  TEXT    NOT NULL DEFAULT '',
	description   TEXT    NOT NULL DEFAULT '',
	reporter_name  TEXT   NOT NULL DEFAULT '',
	reporter_phone TEXT   NOT NULL DEFAULT '',
	occurred_at   INTEGER NOT NULL DEFAULT 0,
	reported_at   INTEGER NOT NULL,
	version       TEXT    NOT NULL DEFAULT '',
	chain         TEXT    NOT NULL DEFAULT '[]',
	assignee      TEXT    NOT NULL DEFAULT '',
	assignee_grid TEXT    NOT NULL DEFAULT '',
	escalations   INTEGER NOT NULL DEFAULT 0,
	deadline      INTEGER NOT NULL DEFAULT 0,
	overdue       INTEGER NOT NULL DEFAULT 0,
	handled_at    INTEGER NOT NULL DEFAULT 0,
	closed_at     INTEGER NOT NULL DEFAULT 0,
	rating        INTEGER NOT NULL DEFAULT 0,
	updated_at    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX incidents_ref ON incidents(source, external_ref) WHERE external_ref <> '';
CREATE INDEX incidents_reported ON incidents(reported_at, id);
CREATE INDEX incidents_status ON incidents(status, reported_at, id);
CREATE INDEX incidents_category ON incidents(category, reported_at, id);
CREATE INDEX incidents_source ON incidents(source, reported_at, id);
CREATE INDEX incidents_assignee ON incidents(assignee, reported_at, id) WHERE assignee <> '';
CREATE INDEX incidents_overdue ON incidents(overdue, reported_at, id);
CREATE INDEX incidents_point ON incidents(lon, lat);

-- incident_grids holds every grid of every incident's chain, with the
-- incident's reported_at, so that a listing by grid code of any layer
-- walks one index range newest first.
CREATE TABLE incident_grids (
	code        TEXT    NOT NULL,
	reported_at INTEGER NOT NULL,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	layer       TEXT    NOT NULL,
	PRIMARY KEY (code, reported_at, incident_id)
) WITHOUT ROWID;
CREATE INDEX incident_grids_incident ON incident_grids(incident_id);

CREATE TABLE transitions (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT,
	incident_id   INTEGER NOT NULL REFERENCES incidents(id),
	action        TEXT    NOT NULL,
	from_status   TEXT    NOT NULL DEFAULT '',
	to_status     TEXT    NOT NULL,
	at            INTEGER NOT NULL,
	actor_key     TEXT    NOT NULL DEFAULT '',
	actor_name    TEXT    NOT NULL DEFAULT '',
	actor_role    TEXT    NOT NULL DEFAULT '',
	actor_staff   TEXT    NOT NULL DEFAULT '',
	note          TEXT    NOT NULL DEFAULT '',
	assignee      TEXT    NOT NULL DEFAULT '',
	assignee_grid TEXT    NOT NULL DEFAULT '',
	rating        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX transitions_incident ON transitions(incident_id, seq);

CREATE TABLE idempotency (
	key         TEXT    PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id)
) WITHOUT ROWID;

CREATE TABLE rosters (
	n       INTEGER PRIMARY KEY,
	id      TEXT    NOT NULL UNIQUE,
	created INTEGER NOT NULL,
	source  TEXT    NOT NULL DEFAULT '',
	sha256  TEXT    NOT NULL DEFAULT '',
	people  INTEGER NOT NULL,
	active  INTEGER NOT NULL DEFAULT 0,
	roles   TEXT    NOT NULL DEFAULT '{}'
);
CREATE TABLE staff (
	roster_n INTEGER NOT NULL REFERENCES rosters(n),
	ord      INTEGER NOT NULL,
	grid     TEXT    NOT NULL,
	id       TEXT    NOT NULL,
	name     TEXT    NOT NULL,
	role     TEXT    NOT NULL,
	phone    TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (roster_n, ord)
) WITHOUT ROWID;
`,
	// 2: fewer B-trees to write per incident (from 21 to 12 inserts a
	// report; BenchmarkCreate writers=16: 5,700 → 12,700 writes per
	// CPU-second with the savepoints gone). A listing by category, source
	// or bbox walks incidents_reported newest first and filters: a page
	// of the rarest category of a synthetic year of 1,000,000 needs a few
	// thousand rows; a bbox holding a town, none of its own (the point
	// index sorted every match: 1.6 s for a town, 7.6 s for the county),
	// a box holding almost nothing the whole index (about 1 s; grid= is
	// the listing of a place). The point index alone was a fifth of the
	// store's CPU a write: one random page a report. Overdue is indexed
	// only where set (a new incident is not); a chain changed by relocate
	// is unindexed by its primary key (the old chain is read anyway), not
	// by an index on incident_id.
	`
DROP INDEX incidents_point;
DROP INDEX incidents_category;
DROP INDEX incidents_source;
DROP INDEX incidents_overdue;
CREATE INDEX incidents_overdue ON incidents(reported_at, id) WHERE overdue <> 0;
DROP INDEX incident_grids_incident;
`,
}

// migrate runs the migrations the file at db has not had, each in its own
// transaction with its new user_version, and refuses a schema newer than
// migrations.
func migrate(ctx context.Context, db *sql.DB) error {
	var have int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if have > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this gridmap knows (%d): use a newer gridmap", have, len(migrations))
	}
	for v := have; v < len(migrations); v++ {
		if err := step(ctx, db, v); err != nil {
			return err
		}
	}
	return nil
}

// step runs migration v and records schema version v+1 in one transaction.
func step(ctx context.Context, db *sql.DB, v int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate to schema %d: %w", v+1, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return fmt.Errorf("migrate to schema %d: %w", v+1, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
		return fmt.Errorf("migrate to schema %d: %w", v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate to schema %d: %w", v+1, err)
	}
	return nil
}
