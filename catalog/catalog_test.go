package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
	"github.com/paulmach/orb"
)

// strip returns a dataset of one layer of n unit squares side by side
// along 31°N from 120°E, named after tag.
func strip(t *testing.T, tag string, n int) *geo.Dataset {
	t.Helper()
	var grids []*geo.Grid
	for i := range n {
		x := 120 + float64(i)
		grids = append(grids, &geo.Grid{Code: fmt.Sprint(i + 1), Name: tag, Props: map[string]any{},
			Geom: orb.MultiPolygon{{{{x, 31}, {x + 1, 31}, {x + 1, 32}, {x, 32}, {x, 31}}}}})
	}
	d, err := geo.NewDataset([]*geo.Layer{geo.NewLayer("towns", grids)})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// fixture is a store in a temporary directory and a catalog of it.
type fixture struct {
	dir string
	st  *store.Dir
	cat *catalog.Catalog
	log *strings.Builder
}

func newFixture(t *testing.T, versions int, activate bool) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), log: &strings.Builder{}}
	var err error
	if f.st, err = store.OpenDir(f.dir); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= versions; i++ {
		if _, err := f.st.Publish(context.Background(), strip(t, fmt.Sprint("v", i), 2), store.Meta{}, activate); err != nil {
			t.Fatal(err)
		}
	}
	f.cat, err = catalog.New(catalog.Options{Store: f.st, Uploads: filepath.Join(f.dir, "uploads"), Log: log.New(&syncWriter{b: f.log}, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// damage overwrites the layers of version id with garbage.
func (f *fixture) damage(t *testing.T, id string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(f.dir, "versions", id, "layers.bin"), []byte("not layers"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// serving returns the id of the snapshot served, or "".
func (f *fixture) serving() string {
	if s := f.cat.Current(); s != nil {
		return s.Manifest.ID
	}
	return ""
}

type syncWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// TestStart covers what a server start finds in its data directory.
func TestStart(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		versions int
		prepare  func(t *testing.T, f *fixture)
		wantErr  string // in the error; "" for none
		serving  string
		logged   string
		// unservable is the active version Unservable names, "" for none
		unservable string
		// active is the store's active version after Start, "" to skip
		active string
	}{
		{name: "active served", versions: 2, serving: "v2"},
		{name: "empty", versions: 0, wantErr: catalog.ErrEmpty.Error()},
		{name: "lost pointer", versions: 3, wantErr: "run gridmap activate v3",
			prepare: func(t *testing.T, f *fixture) { os.Remove(filepath.Join(f.dir, "ACTIVE")) }},
		// the first import killed between its publish and its activation
		{name: "first version never activated", versions: 1, serving: "v1", active: "v1", logged: "ACTIVATING v1",
			prepare: func(t *testing.T, f *fixture) { os.Remove(filepath.Join(f.dir, "ACTIVE")) }},
		{name: "first version never activated, damaged", versions: 1, wantErr: "never made active and cannot be served",
			prepare: func(t *testing.T, f *fixture) { os.Remove(filepath.Join(f.dir, "ACTIVE")); f.damage(t, "v1") }},
		{name: "garbage pointer", versions: 2, wantErr: "versions v1..v2 exist",
			prepare: func(t *testing.T, f *fixture) {
				os.WriteFile(filepath.Join(f.dir, "ACTIVE"), []byte("rubbish\n"), 0o644)
			}},
		{name: "damaged active falls back", versions: 3, serving: "v2", logged: "SERVING VERSION v2 INSTEAD OF THE ACTIVE v3",
			unservable: "v3", prepare: func(t *testing.T, f *fixture) { f.damage(t, "v3") }},
		{name: "everything damaged", versions: 2, wantErr: "no other version can", unservable: "v2",
			prepare: func(t *testing.T, f *fixture) { f.damage(t, "v1"); f.damage(t, "v2") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.versions, true)
			if tc.prepare != nil {
				tc.prepare(t, f)
			}
			err := f.cat.Start(ctx)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("Start: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("Start: %v, want an error saying %q", err, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "sample") {
				t.Errorf("Start: %v mentions the sample", err)
			}
			if got := f.serving(); got != tc.serving {
				t.Errorf("serving %q, want %q", got, tc.serving)
			}
			if !strings.Contains(f.log.String(), tc.logged) {
				t.Errorf("log %q, want %q in it", f.log.String(), tc.logged)
			}
			if a, _ := f.st.Active(ctx); tc.active != "" && a != tc.active {
				t.Errorf("store's active version %q, want %q", a, tc.active)
			}
			switch u := f.cat.Unservable(); {
			case tc.unservable == "" && u != nil:
				t.Errorf("Unservable %+v, want nil", u)
			case tc.unservable != "" && (u == nil || u.ID != tc.unservable || u.Reason == ""):
				t.Errorf("Unservable %+v, want %s with a reason", u, tc.unservable)
			}
		})
	}
}

// TestActivateDamaged: a damaged version is refused, and neither the
// store's pointer nor the snapshot served moves.
func TestActivateDamaged(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 3, false)
	if err := f.cat.Activate(ctx, "v2"); err != nil {
		t.Fatal(err)
	}
	f.damage(t, "v3")
	err := f.cat.Activate(ctx, "v3")
	if !errors.Is(err, version.ErrUnservable) {
		t.Fatalf("activate damaged v3: %v, want ErrUnservable", err)
	}
	if a, _ := f.st.Active(ctx); a != "v2" || f.serving() != "v2" {
		t.Errorf("after the refusal: active %q, serving %q, want v2 for both", a, f.serving())
	}
	if err := f.cat.Activate(ctx, "v9"); !errors.Is(err, version.ErrNotFound) {
		t.Errorf("activate v9: %v, want ErrNotFound", err)
	}
}

// TestWatchNotices publishes from a second handle on the same directory,
// as another process would, and measures how long the watching catalog
// takes to serve it.
func TestWatchNotices(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := newFixture(t, 1, true)
	if err := f.cat.Start(ctx); err != nil {
		t.Fatal(err)
	}
	switched := make(chan version.Event, 16)
	defer f.cat.Subscribe(func(e version.Event) { switched <- e })()
	go f.cat.Watch(ctx)
	other, err := store.OpenDir(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	var worst, worstPublished time.Duration
	for i := 2; i <= 6; i++ {
		time.Sleep(time.Duration(i*37) * time.Millisecond) // land at several phases of the poll
		start := time.Now()
		m, err := other.Publish(ctx, strip(t, fmt.Sprint("v", i), 2), store.Meta{}, true)
		if err != nil {
			t.Fatal(err)
		}
		published := time.Now()
		select {
		case e := <-switched:
			if e.ID != m.ID || e.Previous != fmt.Sprint("v", i-1) {
				t.Fatalf("event %+v after publishing %s", e, m.ID)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s not served after 30 s", m.ID)
		}
		worst, worstPublished = max(worst, time.Since(start)), max(worstPublished, time.Since(published))
	}
	t.Logf("a version published by another handle is served within %v of the start of its publish, %v of its end (poll %v)", worst, worstPublished, catalog.DefaultPoll)
}

// blockingStore is a store whose Load waits until release is closed.
type blockingStore struct {
	store.Store
	release chan struct{}
}

func (s blockingStore) Load(ctx context.Context, id string) (*geo.Dataset, store.Manifest, error) {
	<-s.release
	return s.Store.Load(ctx, id)
}

// TestStartCancelled: a start stuck in its build returns once its context
// ends.
func TestStartCancelled(t *testing.T) {
	f := newFixture(t, 1, true)
	bs := blockingStore{Store: f.st, release: make(chan struct{})}
	defer close(bs.release)
	cat, err := catalog.New(catalog.Options{Store: bs, Uploads: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if err := cat.Start(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Start: %v, want context.Canceled", err)
	}
}

// TestUploadsSwept: the uploads of a dead process are removed when a
// catalog opens; those of a live one stay.
func TestUploadsSwept(t *testing.T) {
	root := t.TempDir()
	dead := filepath.Join(root, "999999999-123") // no such process
	live := filepath.Join(root, fmt.Sprintf("%d-456", os.Getppid()))
	for _, d := range []string{dead, live} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	st, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.New(catalog.Options{Store: st, Uploads: root})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("the upload of a dead process is still there: %v", err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the upload of a live process is gone: %v", err)
	}
	dir, remove, err := cat.NewUpload()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(dir) != root || !strings.HasPrefix(filepath.Base(dir), fmt.Sprint(os.Getpid(), "-")) {
		t.Errorf("upload directory %s, want %s/PID-…", dir, root)
	}
	remove()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("removed upload still there: %v", err)
	}
}
