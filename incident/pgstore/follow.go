package pgstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/jackc/pgx/v5"
)

// channel is the notification channel of the migration's triggers: the
// highest seq of each commit that stores transitions, or "roster".
const channel = "gridmap_incidents"

// The listener's reconnection backoff: from minBackoff, doubled after
// each failed attempt, at most maxBackoff.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// LastSeq returns the highest Seq committed (0: none): every transition
// of a lower Seq is committed or never will be.
func (s *Store) LastSeq(ctx context.Context) (uint64, error) {
	var seq int64
	if err := s.pool.QueryRow(ctx, `SELECT COALESCE(max(seq), 0) FROM transitions`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("last seq: %w", wrap(err))
	}
	return uint64(seq), nil
}

// Changes returns a channel that receives a Change after each commit that
// stored transitions or a roster, by any process sharing the database
// (this one included), until ctx ends; then it is closed. It listens on a
// connection of its own, reconnected with backoff when the database goes
// away; each time it (re)connects it sends Change{Roster: true} (Seq 0:
// read on), since the commits made meanwhile went untold. Changes not yet
// received are merged into one.
func (s *Store) Changes(ctx context.Context) <-chan incident.Change {
	out := make(chan incident.Change, 1)
	go func() {
		defer close(out)
		delay := minBackoff
		for ctx.Err() == nil {
			if s.listenOnce(ctx, out) {
				delay = minBackoff
			}
			select {
			case <-ctx.Done():
			case <-time.After(delay):
				delay = min(2*delay, maxBackoff)
			}
		}
	}()
	return out
}

// listenOnce connects, listens and passes the notifications on to out
// until the connection fails or ctx ends; it reports whether it got to
// listen.
func (s *Store) listenOnce(ctx context.Context, out chan incident.Change) bool {
	conn, err := pgx.ConnectConfig(ctx, s.listen)
	if err != nil {
		return false
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return false
	}
	send(out, incident.Change{Roster: true})
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true
		}
		if n.Payload == "roster" {
			send(out, incident.Change{Roster: true})
		} else if seq, err := strconv.ParseUint(n.Payload, 10, 64); err == nil {
			send(out, incident.Change{Seq: seq})
		}
	}
}

// send puts c on out (buffered, one), merged with the change waiting
// there if any; only one goroutine sends on out.
func send(out chan incident.Change, c incident.Change) {
	select {
	case out <- c:
		return
	default:
	}
	select {
	case old := <-out:
		c = old.Merge(c)
	default:
	}
	out <- c
}
