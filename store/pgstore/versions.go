package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/store"
	"github.com/jackc/pgx/v5"
)

// Publish implements store.Store: the dataset, its layers and grids, the
// manifest and, when activate is true, the active pointer are written in
// one transaction under the id after the highest (publishes are serialised
// by an advisory lock held until the commit). A publish that fails, or
// whose ctx ends, leaves nothing.
func (s *Store) Publish(ctx context.Context, d *geo.Dataset, meta store.Meta, activate bool) (store.Manifest, error) {
	m := store.Manifest{Created: s.now().UTC().Truncate(time.Millisecond), Layers: store.Summarise(d), Meta: meta}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(lockVersions)); err != nil {
			return err
		}
		var n int32
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(num), 0) + 1 FROM gridmap.versions").Scan(&n); err != nil {
			return err
		}
		m.ID = idOf(n)
		if err := insertVersion(ctx, tx, n, d, m); err != nil {
			return err
		}
		if activate {
			return setActive(ctx, tx, n)
		}
		return notify(ctx, tx, PublishedChannel, m.ID)
	})
	if err != nil {
		return store.Manifest{}, fmt.Errorf("publish: %w", s.clean(err))
	}
	return m, nil
}

// insertVersion writes version n with manifest m and dataset d in tx.
func insertVersion(ctx context.Context, tx pgx.Tx, n int32, d *geo.Dataset, m store.Manifest) error {
	mj, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO gridmap.versions (num, created, manifest) VALUES ($1, $2, $3)", n, m.Created, mj); err != nil {
		return fmt.Errorf("insert version %s: %w", m.ID, err)
	}
	for i, l := range m.Layers {
		if _, err := tx.Exec(ctx, `INSERT INTO gridmap.layers (version, ord, name, parent, grids, vertices, partial)
			VALUES ($1, $2, $3, nullif($4, ''), $5, $6, $7)`, n, i, l.Name, l.Parent, l.Grids, l.Vertices, l.Partial); err != nil {
			return fmt.Errorf("insert layer %s: %w", l.Name, err)
		}
	}
	if err := writeDataset(ctx, tx, n, d); err != nil {
		return fmt.Errorf("write the dataset: %w", err)
	}
	if err := copyGrids(ctx, tx, n, d); err != nil {
		return fmt.Errorf("write the grids: %w", err)
	}
	return nil
}

// setActive makes version n active in tx and notifies Channel, which
// listeners receive at the commit.
func setActive(ctx context.Context, tx pgx.Tx, n int32) error {
	if _, err := tx.Exec(ctx, `INSERT INTO gridmap.active (one, version, activated) VALUES (true, $1, now())
		ON CONFLICT (one) DO UPDATE SET version = EXCLUDED.version, activated = EXCLUDED.activated`, n); err != nil {
		return fmt.Errorf("activate %s: %w", idOf(n), err)
	}
	return notify(ctx, tx, Channel, idOf(n))
}

// notify sends payload on channel in tx: listeners receive it at the
// commit, and not at all when tx is rolled back.
func notify(ctx context.Context, tx pgx.Tx, channel, payload string) error {
	if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", channel, payload); err != nil {
		return fmt.Errorf("notify %s: %w", channel, err)
	}
	return nil
}

// Activate implements store.Store: it points the active version at id and
// notifies Channel, in one transaction.
func (s *Store) Activate(ctx context.Context, id string) error {
	n, err := num(id)
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, "SELECT 1 FROM gridmap.versions WHERE num = $1", n).Scan(&one)
		if errNoRows(err) {
			return fmt.Errorf("%w: %s", store.ErrNotFound, id)
		}
		if err != nil {
			return err
		}
		return setActive(ctx, tx, n)
	})
	if errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("activate %s: %w", id, s.clean(err))
	}
	return nil
}

// Active implements store.Store.
func (s *Store) Active(ctx context.Context) (string, error) {
	var n int32
	err := s.pool.QueryRow(ctx, "SELECT version FROM gridmap.active").Scan(&n)
	if errNoRows(err) {
		return "", store.ErrNoActive
	}
	if err != nil {
		return "", fmt.Errorf("read the active version: %w", s.clean(err))
	}
	return idOf(n), nil
}

// Manifest implements store.Store.
func (s *Store) Manifest(ctx context.Context, id string) (store.Manifest, error) {
	n, err := num(id)
	if err != nil {
		return store.Manifest{}, err
	}
	var b []byte
	err = s.pool.QueryRow(ctx, "SELECT manifest FROM gridmap.versions WHERE num = $1", n).Scan(&b)
	if errNoRows(err) {
		return store.Manifest{}, fmt.Errorf("%w: %s", store.ErrNotFound, id)
	}
	if err != nil {
		return store.Manifest{}, fmt.Errorf("read manifest %s: %w", id, s.clean(err))
	}
	return decodeManifest(id, b)
}

// decodeManifest reads the manifest of version id from its JSON.
func decodeManifest(id string, b []byte) (store.Manifest, error) {
	var m store.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return store.Manifest{}, &store.DamagedError{ID: id, File: "manifest", Err: err}
	}
	if m.ID != id {
		return store.Manifest{}, &store.DamagedError{ID: id, File: "manifest", Err: fmt.Errorf("names version %q", m.ID)}
	}
	return m, nil
}

// List implements store.Store: the manifests, oldest first.
func (s *Store) List(ctx context.Context) ([]store.Manifest, error) {
	rows, err := s.pool.Query(ctx, "SELECT num, manifest FROM gridmap.versions ORDER BY num")
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", s.clean(err))
	}
	defer rows.Close()
	var out []store.Manifest
	var damaged []error
	for rows.Next() {
		var n int32
		var b []byte
		if err := rows.Scan(&n, &b); err != nil {
			return nil, fmt.Errorf("list versions: %w", s.clean(err))
		}
		m, err := decodeManifest(idOf(n), b)
		if err != nil {
			damaged = append(damaged, err)
			continue
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list versions: %w", s.clean(err))
	}
	return out, errors.Join(damaged...)
}

// Load implements store.Store: the dataset is decoded as its chunks
// arrive and checked against its recorded size and SHA-256; a mismatch is
// a *store.DamagedError naming layers.bin.
func (s *Store) Load(ctx context.Context, id string) (*geo.Dataset, store.Manifest, error) {
	m, err := s.Manifest(ctx, id)
	if err != nil {
		return nil, store.Manifest{}, err
	}
	n, _ := num(id)
	d, err := s.readDataset(ctx, n)
	if err != nil {
		return nil, store.Manifest{}, err
	}
	return d, m, nil
}
