package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// The LISTEN connection's reconnection delays: from listenMinDelay,
// doubled after each failure up to listenMaxDelay, back to the least once
// connected.
const (
	listenMinDelay = 100 * time.Millisecond
	listenMaxDelay = 5 * time.Second
	connectTimeout = 5 * time.Second
)

// Changes implements store.Notifier: a dedicated connection LISTENs on
// Channel and PublishedChannel, and the returned channel receives after
// each notification and
// after each (re)connection, when a change may have been missed; a lost
// connection is reconnected with backoff. The channel holds one pending
// receive (a burst of changes is one receive) and is closed when ctx ends.
func (s *Store) Changes(ctx context.Context) <-chan struct{} {
	ch := make(chan struct{}, 1)
	go s.listen(ctx, ch)
	return ch
}

// listen keeps a LISTEN connection until ctx ends, then closes ch. A
// loss is logged once, and the reconnection after it.
func (s *Store) listen(ctx context.Context, ch chan struct{}) {
	defer close(ch)
	delay := listenMinDelay
	failing := false
	for {
		err := s.listenOnce(ctx, ch, func() {
			delay = listenMinDelay
			if failing {
				s.log.Printf("pgstore: LISTEN %s again", Channel)
				failing = false
			}
		})
		if ctx.Err() != nil {
			return
		}
		if !failing {
			s.log.Printf("pgstore: LISTEN %s lost: %v; reconnecting", Channel, s.clean(err))
			failing = true
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		delay = min(2*delay, listenMaxDelay)
	}
}

// listenOnce connects, LISTENs, calls listening, signals ch and then once
// per notification, until the connection fails or ctx ends.
func (s *Store) listenOnce(ctx context.Context, ch chan struct{}, listening func()) error {
	cfg := s.connConfig()
	cfg.RuntimeParams["application_name"] = listenerApp
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	for _, ch := range []string{Channel, PublishedChannel} {
		if _, err := conn.Exec(ctx, "LISTEN "+ch); err != nil {
			return err
		}
	}
	pid := conn.PgConn().PID()
	s.listenPID.Store(pid)
	defer s.listenPID.CompareAndSwap(pid, 0)
	listening()
	signal(ch)
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		signal(ch)
	}
}

// connConfig returns the configuration of a dedicated connection (LISTEN,
// an importer's wait), with a connection timeout.
func (s *Store) connConfig() *pgx.ConnConfig {
	cfg := s.conn.Copy()
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	return cfg
}

// signal makes ch receive once, unless a receive is already pending.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
