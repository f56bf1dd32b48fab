package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gridmap/gridmap/store"
)

// contextEnded returns a context already cancelled.
func contextEnded() (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(context.Background())
	cancel()
	return c, cancel
}

// testRestore restores versions as another store held them: ids, times
// and meta kept, inactive; again is nothing, a different one ErrExists;
// the next publish takes the id after the highest.
func testRestore(t *testing.T, open func() store.Store) {
	s := open()
	r, ok := s.(store.Restorer)
	if !ok {
		t.Fatalf("%T does not implement store.Restorer", s)
	}
	created := time.Date(2024, 3, 5, 8, 9, 10, 123e6, time.UTC)
	d := Dataset(t, "restored")
	m := store.Manifest{ID: "v3", Created: created, Layers: store.Summarise(d), Meta: meta("from elsewhere")}
	if err := r.Restore(ctx, d, m); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	got, lm, err := s.Load(ctx, "v3")
	if err != nil {
		t.Fatal(err)
	}
	SameDataset(t, "Load(v3)", got, d)
	if !store.SameManifest(lm, m) || !lm.Created.Equal(created) {
		t.Errorf("restored manifest %+v, want %+v", lm, m)
	}
	if _, err := s.Active(ctx); !errors.Is(err, store.ErrNoActive) {
		t.Errorf("Active after Restore = %v, want ErrNoActive", err)
	}
	if err := r.Restore(ctx, Dataset(t, "restored"), m); err != nil {
		t.Errorf("Restore again = %v, want nil (resumable)", err)
	}
	if err := r.Restore(ctx, Dataset(t, "other"), m); !errors.Is(err, store.ErrExists) {
		t.Errorf("Restore of other layers under v3 = %v, want ErrExists", err)
	}
	other := m
	other.Note = "changed"
	if err := r.Restore(ctx, d, other); !errors.Is(err, store.ErrExists) {
		t.Errorf("Restore of another manifest under v3 = %v, want ErrExists", err)
	}
	bad := m
	bad.ID = "3"
	if err := r.Restore(ctx, d, bad); !errors.Is(err, store.ErrBadID) {
		t.Errorf("Restore as %q = %v, want ErrBadID", bad.ID, err)
	}
	next, err := s.Publish(ctx, Dataset(t, "next"), meta(""), true)
	if err != nil || next.ID != "v4" {
		t.Errorf("Publish after restoring v3 = %q, %v; want v4", next.ID, err)
	}
	if err := s.Activate(ctx, "v3"); err != nil {
		t.Errorf("Activate(v3) restored: %v", err)
	}
}
