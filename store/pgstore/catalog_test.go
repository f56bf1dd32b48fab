package pgstore_test

import (
	"bytes"
	"context"
	"log"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/store/storetest"
)

// syncBuffer is a log shared by a catalog's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// replica is a catalog on its own store handle and cache directory, as a
// replica process has, with its log.
func replica(t *testing.T, dsn string) (*catalog.Catalog, *syncBuffer) {
	t.Helper()
	var logs syncBuffer
	c, err := catalog.New(catalog.Options{Store: open(t, dsn), Log: log.New(&logs, "", 0), Poll: time.Hour, Uploads: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return c, &logs
}

// TestReplicas: the first replica to build a version publishes its point
// index into the database, and the next one, with an empty cache, reads it
// from there instead of building it; a version activated through one
// replica's store is served by another's catalog on the NOTIFY, its poll
// being an hour.
func TestReplicas(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := pgtest.NewDB(t)
	s := open(t, dsn)
	if _, err := s.Publish(ctx, storetest.Dataset(t, "one"), store.Meta{}, true); err != nil {
		t.Fatal(err)
	}
	a, alog := replica(t, dsn)
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(alog.String(), "published in") {
		t.Fatalf("the first replica did not publish the index:\n%s", alog)
	}
	b, blog := replica(t, dsn)
	if err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(blog.String(), "point index read from") {
		t.Errorf("the second replica did not read the published index:\n%s", blog)
	}
	go b.Watch(ctx)
	if _, err := s.Publish(ctx, storetest.Dataset(t, "two"), store.Meta{}, true); err != nil {
		t.Fatal(err)
	}
	for b.Current().Manifest.ID != "v2" {
		time.Sleep(10 * time.Millisecond)
	}
}
