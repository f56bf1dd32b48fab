package storetest

import (
	"context"
	"testing"

	"github.com/gridmap/gridmap/store"
)

// SameStores fails t unless a and b hold the same versions, manifests,
// layers and active version.
func SameStores(t *testing.T, a, b store.Store) {
	t.Helper()
	ctx := context.Background()
	la, err := a.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lb, err := b.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(la) != len(lb) {
		t.Fatalf("%d versions against %d", len(la), len(lb))
	}
	for i := range la {
		if !store.SameManifest(la[i], lb[i]) {
			t.Errorf("manifest %s: %+v against %+v", la[i].ID, la[i], lb[i])
		}
		da, _, err := a.Load(ctx, la[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		db, _, err := b.Load(ctx, lb[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		SameDataset(t, la[i].ID, db, da)
	}
	aa, aerr := a.Active(ctx)
	ab, berr := b.Active(ctx)
	if aa != ab || (aerr == nil) != (berr == nil) {
		t.Errorf("active %q (%v) against %q (%v)", aa, aerr, ab, berr)
	}
}
