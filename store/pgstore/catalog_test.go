package pgstore_test

import (
	"context"
	"encoding/json"
	"log"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/gridmap/gridmap/internal/syncbuf"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/store/pgstore"
	"github.com/gridmap/gridmap/store/storetest"
	"github.com/gridmap/gridmap/version"
)

// replica is a catalog on its own store handle and cache directory, as a
// replica process has, with its log.
func replica(t *testing.T, dsn string) (*catalog.Catalog, *syncbuf.Buffer) {
	t.Helper()
	return replicaWith(t, dsn, func(*catalog.Options) {})
}

// TestReplicas: the first replica to build a version publishes its point
// index into the database, and the next one, with an empty cache, reads it
// from there instead of building it; a version activated through one
// replica's store is served by another's catalog on the NOTIFY, its poll
// being an hour.
func TestReplicas(t *testing.T) {
	ctx, dsn, s := withV1(t)
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

// TestBuildAhead: a replica told (NOTIFY) that a version's published
// index and tiles are stored builds it before its activation, which it then
// serves as built, tiles read from the published archive; a version whose files are stored but which is never
// made active is dropped after Options.AheadKeep, and built the ordinary
// way when it is activated at last.
func TestBuildAhead(t *testing.T) {
	ctx, dsn, s := withV1(t)
	opts := func(o *catalog.Options) {
		o.Build.TilesMaxZoom = 2
		o.AheadKeep = 300 * time.Millisecond
	}
	a, _ := replicaWith(t, dsn, opts)
	b, blog := replicaWith(t, dsn, opts)
	for _, c := range []*catalog.Catalog{a, b} {
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	go b.Watch(ctx)

	m, err := s.Publish(ctx, storetest.Dataset(t, "two"), store.Meta{}, false)
	if err != nil {
		t.Fatal(err)
	}
	publishFiles(t, s, m) // as the importing process does before it activates
	waitLog(t, blog, "version v2 built ahead of its activation")
	if got := b.Current().Manifest.ID; got != "v1" {
		t.Fatalf("b serves %s before v2's activation, want v1", got)
	}
	if err := a.Activate(ctx, "v2"); err != nil {
		t.Fatal(err)
	}
	waitServed(t, b, "v2")
	for _, want := range []string{"version v2 built ahead of its activation", "version v2: published tiles z0–2 read from", "version v2: served as built ahead"} {
		if !strings.Contains(blog.String(), want) {
			t.Errorf("replica b's log lacks %q:\n%s", want, blog)
		}
	}
	if strings.Contains(blog.String(), "version v2: rendering") {
		t.Errorf("replica b rendered v2's tiles, which were published:\n%s", blog)
	}

	m, err = s.Publish(ctx, storetest.Dataset(t, "three"), store.Meta{}, false)
	if err != nil {
		t.Fatal(err)
	}
	publishFiles(t, s, m)
	waitLog(t, blog, "version v3 built ahead of its activation")
	waitLog(t, blog, "version v3: built ahead") // "… ago and not made active; dropped"
	if got := b.Current().Manifest.ID; got != "v2" {
		t.Fatalf("b serves %s before v3's activation, want v2", got)
	}
	if err := a.Activate(ctx, "v3"); err != nil {
		t.Fatal(err)
	}
	waitServed(t, b, "v3")
	if strings.Contains(blog.String(), "version v3: served as built ahead") {
		t.Errorf("v3, dropped, was served as built ahead:\n%s", blog)
	}
}

// withV1 returns a fresh database holding one active version, v1, and a
// store handle on it; ctx ends with the test.
func withV1(t *testing.T) (context.Context, string, *pgstore.Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	dsn := pgtest.NewDB(t)
	s := open(t, dsn)
	if _, err := s.Publish(ctx, storetest.Dataset(t, "one"), store.Meta{}, true); err != nil {
		t.Fatal(err)
	}
	return ctx, dsn, s
}

// replicaWith is replica with its options changed by set.
func replicaWith(t *testing.T, dsn string, set func(*catalog.Options)) (*catalog.Catalog, *syncbuf.Buffer) {
	t.Helper()
	var logs syncbuf.Buffer
	o := catalog.Options{Store: open(t, dsn), Log: log.New(&logs, "", 0), Poll: time.Hour, Uploads: t.TempDir()}
	set(&o)
	c, err := catalog.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c, &logs
}

// publishFiles writes the published index and tiles of version m of s as
// an importing process does before it activates the version (and the
// catalog reads them: the manifest as the catalog sees it).
func publishFiles(t *testing.T, s *pgstore.Store, m store.Manifest) {
	t.Helper()
	d, m, err := s.Load(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var read store.Manifest
	if err := json.Unmarshal(b, &read); err != nil {
		t.Fatal(err)
	}
	if b, err = json.Marshal(read); err != nil {
		t.Fatal(err)
	}
	if _, err := version.Build(version.Manifest{ID: m.ID, JSON: b}, d, version.BuildOptions{Index: s, TilesMaxZoom: 2, TilesNow: true}); err != nil {
		t.Fatal(err)
	}
}

// waitServed waits until c serves version id.
func waitServed(t *testing.T, c *catalog.Catalog, id string) {
	t.Helper()
	for c.Current().Manifest.ID != id {
		time.Sleep(5 * time.Millisecond)
	}
}

// waitLog waits until logs holds want.
func waitLog(t *testing.T, logs *syncbuf.Buffer, want string) {
	t.Helper()
	for !strings.Contains(logs.String(), want) {
		time.Sleep(5 * time.Millisecond)
	}
}

// TestStartOrCreateOnce: replicas started together on an empty database
// create the first version once (under the store's lock) and all serve it.
func TestStartOrCreateOnce(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDB(t)
	var calls atomic.Int32
	errs := make(chan error, 3)
	cats := make([]*catalog.Catalog, 3)
	for i := range cats {
		cats[i], _ = replica(t, dsn)
		st := open(t, dsn)
		go func() {
			_, err := cats[i].StartOrCreate(ctx, func(ctx context.Context) error {
				calls.Add(1)
				time.Sleep(300 * time.Millisecond) // the others meet the empty store meanwhile
				_, err := st.Publish(ctx, storetest.Dataset(t, "first"), store.Meta{}, true)
				return err
			})
			errs <- err
		}()
	}
	for range cats {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("the first version was created %d times, want once", n)
	}
	for i, c := range cats {
		if got := c.Current().Manifest.ID; got != "v1" {
			t.Errorf("replica %d serves %s, want v1", i, got)
		}
	}
	if list, err := open(t, dsn).List(ctx); err != nil || len(list) != 1 {
		t.Errorf("the store holds %d versions (%v), want 1", len(list), err)
	}
}

// TestLock: a second holder of a lock waits for the first's unlock, and
// a wait ends with its context.
func TestLock(t *testing.T) {
	dsn := pgtest.NewDB(t)
	a, b := open(t, dsn), open(t, dsn)
	unlock, err := a.Lock(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := b.Lock(ctx, "test"); err == nil {
		t.Fatal("b took the lock a holds")
	}
	unlock()
	unlock2, err := b.Lock(context.Background(), "test")
	if err != nil {
		t.Fatalf("b after a's unlock: %v", err)
	}
	unlock2()
}
