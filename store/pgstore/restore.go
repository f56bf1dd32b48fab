package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/store"
	"github.com/jackc/pgx/v5"
)

// Restore implements store.Restorer: d is written as version m.ID with
// manifest m (id, creation time, layers and meta as given), inactive, in
// one transaction like Publish. A version of that id already present is
// nil when its manifest and dataset are the same as m and d (a copy
// resumed), else store.ErrExists.
func (s *Store) Restore(ctx context.Context, d *geo.Dataset, m store.Manifest) error {
	n, err := num(m.ID)
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(lockVersions)); err != nil {
			return err
		}
		var b []byte
		err := tx.QueryRow(ctx, "SELECT manifest FROM gridmap.versions WHERE num = $1", n).Scan(&b)
		if errNoRows(err) {
			return insertVersion(ctx, tx, n, d, m)
		}
		if err != nil {
			return err
		}
		return sameAs(ctx, tx, n, b, d, m)
	})
	if errors.Is(err, store.ErrExists) || errors.Is(err, store.ErrDamaged) {
		return err
	}
	if err != nil {
		return fmt.Errorf("restore %s: %w", m.ID, s.clean(err))
	}
	return nil
}

// sameAs compares version n, whose manifest is the JSON b, with m and d:
// nil when they are the same, store.ErrExists when not.
func sameAs(ctx context.Context, q querier, n int32, b []byte, d *geo.Dataset, m store.Manifest) error {
	have, err := decodeManifest(m.ID, b)
	if err != nil {
		return err
	}
	if !store.SameManifest(have, m) {
		return fmt.Errorf("%w: %s holds another manifest", store.ErrExists, m.ID)
	}
	var stored []byte
	if err := q.QueryRow(ctx, "SELECT sha256 FROM gridmap.files WHERE version = $1 AND name = $2", n, layersFile).Scan(&stored); err != nil {
		return fmt.Errorf("the checksum of %s: %w", m.ID, err)
	}
	sum, err := store.DatasetSum(d)
	if err != nil {
		return err
	}
	if string(stored) != string(sum[:]) {
		return fmt.Errorf("%w: %s holds other layers", store.ErrExists, m.ID)
	}
	return nil
}
