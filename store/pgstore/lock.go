package pgstore

import (
	"context"
	"fmt"
	"time"
)

// Lock implements store.Locker with a session advisory lock keyed by
// "gridmap/"+name, held on a connection of its own until unlock (or until
// the connection is lost, when PostgreSQL releases it).
func (s *Store) Lock(ctx context.Context, name string) (unlock func(), err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, s.clean(err))
	}
	key := "gridmap/" + name
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtextextended($1, 0))", key); err != nil {
		conn.Release()
		return nil, fmt.Errorf("lock %s: %w", name, s.clean(err))
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_unlock(hashtextextended($1, 0))", key); err != nil {
			// the lock goes with the connection
			conn.Conn().Close(ctx)
		}
		conn.Release()
	}, nil
}
