package pgstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gridmap/gridmap/store"
	"github.com/jackc/pgx/v5"
)

// PreparedChannel is the LISTEN/NOTIFY channel on which a replica tells
// that it built a version ahead of its activation (store.Preparer): the
// payload is the version's id and the backend of the replica's LISTEN
// connection ("v7 12345"), which names the replica among the database's
// sessions (application_name listenerApp).
const PreparedChannel = "gridmap_prepared"

// listenerApp is the application_name of a replica's LISTEN connection:
// an importer awaits the sessions of that name.
const listenerApp = "gridmap replica"

// Prepared implements store.Preparer: it tells the importer awaiting
// version id that this replica built it. A store that does not LISTEN
// (it serves nothing) tells nothing.
func (s *Store) Prepared(ctx context.Context, id string) error {
	pid := s.listenPID.Load()
	if pid == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	if _, err := s.pool.Exec(ctx, "SELECT pg_notify($1, $2)", PreparedChannel, fmt.Sprintf("%s %d", id, pid)); err != nil {
		return fmt.Errorf("tell %s prepared: %w", id, s.clean(err))
	}
	return nil
}

// AwaitPrepared implements store.Preparer: a connection of its own
// LISTENs on PreparedChannel from now on, so that no replica's word is
// missed however early it comes.
func (s *Store) AwaitPrepared(ctx context.Context, id string) (store.Await, error) {
	conn, err := pgx.ConnectConfig(ctx, s.connConfig())
	if err != nil {
		return nil, fmt.Errorf("await %s: %w", id, s.clean(err))
	}
	if _, err := conn.Exec(ctx, "LISTEN "+PreparedChannel); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("await %s: %w", id, s.clean(err))
	}
	return &await{s: s, id: id, conn: conn}, nil
}

// await is one importer's wait for the replicas to build version id.
type await struct {
	s    *Store
	id   string
	conn *pgx.Conn
}

// Wait implements store.Await: the replicas are the database's sessions
// named listenerApp now, this process's own excepted.
func (a *await) Wait(ctx context.Context, max time.Duration) (told, of int, err error) {
	ctx, cancel := context.WithTimeout(ctx, max)
	defer cancel()
	rows, err := a.conn.Query(ctx, "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database() AND pid <> $2",
		listenerApp, int64(a.s.listenPID.Load()))
	if err != nil {
		return 0, 0, fmt.Errorf("await %s: %w", a.id, a.s.clean(err))
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, 0, fmt.Errorf("await %s: %w", a.id, a.s.clean(err))
	}
	waiting := map[int64]bool{}
	for _, p := range pids {
		waiting[p] = true
	}
	for len(waiting) > 0 {
		n, err := a.conn.WaitForNotification(ctx)
		if err != nil {
			break // max passed, or the connection went: activate all the same
		}
		id, pid, ok := strings.Cut(n.Payload, " ")
		p, perr := strconv.ParseInt(pid, 10, 64)
		if ok && perr == nil && id == a.id && waiting[p] {
			delete(waiting, p)
		}
	}
	return len(pids) - len(waiting), len(pids), nil
}

// Close implements store.Await.
func (a *await) Close() { a.conn.Close(context.Background()) }
