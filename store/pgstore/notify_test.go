package pgstore_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/store/pgstore"
	"github.com/gridmap/gridmap/store/storetest"
)

// receive waits for ch to receive and fails t when it is closed instead.
func receive(t *testing.T, ch <-chan struct{}, after string) {
	t.Helper()
	if _, ok := <-ch; !ok {
		t.Fatalf("Changes closed, want a receive after %s", after)
	}
}

// TestChanges activates, publishes and writes a published file on one
// store and receives each on another's Changes, as one replica tells the
// others; the channel closes when its ctx ends.
func TestChanges(t *testing.T) {
	dsn := pgtest.NewDB(t)
	a, b := open(t, dsn), open(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	ch := b.Changes(ctx)
	receive(t, ch, "connecting")
	m, err := a.Publish(ctx, storetest.Dataset(t, "one"), store.Meta{}, true)
	if err != nil {
		t.Fatal(err)
	}
	receive(t, ch, "a publish that activated")
	if id, err := b.Active(ctx); id != m.ID || err != nil {
		t.Errorf("b.Active after the receive = %q, %v; want %s", id, err, m.ID)
	}
	if _, err := a.Publish(ctx, storetest.Dataset(t, "two"), store.Meta{}, false); err != nil {
		t.Fatal(err)
	}
	receive(t, ch, "a publish that did not activate")
	if list, err := b.List(ctx); err != nil || len(list) != 2 {
		t.Fatalf("b.List after the receive = %d versions, %v; want 2", len(list), err)
	}
	if err := a.WriteFile("v2", "index.bin", func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); err != nil {
		t.Fatal(err)
	}
	receive(t, ch, "a published file written")
	if err := a.Activate(ctx, "v2"); err != nil {
		t.Fatal(err)
	}
	receive(t, ch, "an activation")
	if id, err := b.Active(ctx); id != "v2" || err != nil {
		t.Errorf("b.Active after the receive = %q, %v; want v2", id, err)
	}
	cancel()
	for range ch { // drained, then closed
	}
}

// TestDatabaseDown stops the database under a store: Ready reports
// ErrUnreachable, and once the database is back Ready is nil again and
// Changes receives (a change may have been missed meanwhile).
func TestDatabaseDown(t *testing.T) {
	c := pgtest.StartCluster(t)
	dsn := pgtest.CreateDB(t, c.Admin)
	s := open(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := s.Publish(ctx, storetest.Dataset(t, "kept"), store.Meta{}, true); err != nil {
		t.Fatal(err)
	}
	ch := s.Changes(ctx)
	receive(t, ch, "connecting")
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("Ready = %v, want nil", err)
	}
	c.Stop(t)
	if err := s.Ready(ctx); !errors.Is(err, store.ErrUnreachable) || strings.Contains(err.Error(), "gmtest_") {
		t.Errorf("Ready with the database stopped = %v, want ErrUnreachable naming no database", err)
	}
	if _, err := s.Active(ctx); err == nil {
		t.Errorf("Active with the database stopped: no error")
	}
	c.Start(t)
	for s.Ready(ctx) != nil {
		time.Sleep(50 * time.Millisecond)
	}
	receive(t, ch, "the reconnection")
	if id, err := s.Active(ctx); id != "v1" || err != nil {
		t.Errorf("Active after the restart = %q, %v; want v1", id, err)
	}
}

// TestAwaitPrepared: an importer awaits the replicas (stores whose
// Changes LISTEN) of its database: it hears each one's Prepared of its
// version, ignores another version's, and stops at max when one is
// silent; a store that does not LISTEN is not awaited and tells nothing.
func TestAwaitPrepared(t *testing.T) {
	dsn := pgtest.NewDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	importer, b, c := open(t, dsn), open(t, dsn), open(t, dsn)
	for _, s := range []*pgstore.Store{b, c} {
		receive(t, s.Changes(ctx), "connecting")
	}
	aw, err := importer.AwaitPrepared(ctx, "v9")
	if err != nil {
		t.Fatal(err)
	}
	defer aw.Close()
	for _, tell := range []struct {
		s  *pgstore.Store
		id string
	}{{b, "v9"}, {c, "v8"}, {importer, "v9"}, {c, "v9"}} {
		if err := tell.s.Prepared(ctx, tell.id); err != nil {
			t.Fatal(err)
		}
	}
	if told, of, err := aw.Wait(ctx, time.Minute); told != 2 || of != 2 || err != nil {
		t.Errorf("Wait = %d of %d, %v; want 2 of 2", told, of, err)
	}

	aw2, err := importer.AwaitPrepared(ctx, "v10")
	if err != nil {
		t.Fatal(err)
	}
	defer aw2.Close()
	if err := b.Prepared(ctx, "v10"); err != nil {
		t.Fatal(err)
	}
	if told, of, err := aw2.Wait(ctx, 300*time.Millisecond); told != 1 || of != 2 || err != nil {
		t.Errorf("Wait with c silent = %d of %d, %v; want 1 of 2", told, of, err)
	}
}
