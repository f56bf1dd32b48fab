package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/incident"
)

// testCreateGet: a created incident comes back whole with its report.
func testCreateGet(t *testing.T, s incident.Store) {
	rng := seeded(t)
	var last incident.ID
	for i := range 5 {
		in := fixture(rng, i)
		got, created := create(t, s, in, "")
		if !created || got.ID <= last {
			t.Fatalf("incident %d: created %v, id %d after %d", i, created, got.ID, last)
		}
		last = got.ID
		in.ID = got.ID
		same(t, "Create's answer", got, in)
		stored, hist, err := s.Get(ctx, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "Get", stored, in)
		want := report(in)
		want.Incident = got.ID
		if len(hist) != 1 || hist[0].Seq == 0 {
			t.Fatalf("history %+v, want one report with a seq", hist)
		}
		want.Seq = hist[0].Seq
		same(t, "report", hist[0], want)
	}
}

// testGetNotFound: an unknown id is ErrNotFound.
func testGetNotFound(t *testing.T, s incident.Store) {
	if _, _, err := s.Get(ctx, 424242); !errors.Is(err, incident.ErrNotFound) {
		t.Fatalf("Get of an unknown id: %v, want ErrNotFound", err)
	}
}

// testIdempotency: a retry by key or by source+external_ref stores
// nothing and returns the stored incident.
func testIdempotency(t *testing.T, s incident.Store) {
	rng := seeded(t)
	a := fixture(rng, 1)
	a.ExternalRef = "A-1"
	first, _ := create(t, s, a, "key-1")
	noRef := fixture(rng, 2)
	noRef.ExternalRef = ""
	other := fixture(rng, 3)
	other.ExternalRef = "A-1"
	other.Source = a.Source + "-other"
	tests := []struct {
		name    string
		inc     incident.Incident
		key     string
		created bool
		sameAs  incident.ID // 0: a new one
	}{
		{"same key", a, "key-1", false, first.ID},
		{"same key, other body", noRef, "key-1", false, first.ID},
		{"same source and ref, no key", a, "", false, first.ID},
		{"same source and ref, new key", a, "key-2", false, first.ID},
		{"new key now bound", noRef, "key-2", false, first.ID},
		{"same ref, other source", other, "", true, 0},
		{"no ref, no key", noRef, "", true, 0},
		{"no ref, no key again", noRef, "", true, 0},
	}
	for _, tc := range tests {
		got, created := create(t, s, tc.inc, tc.key)
		if created != tc.created {
			t.Fatalf("%s: created %v, want %v", tc.name, created, tc.created)
		}
		if tc.sameAs != 0 {
			same(t, tc.name, got, first)
		} else if got.ID == first.ID {
			t.Fatalf("%s: got the first incident back", tc.name)
		}
	}
	if n := count(t, s, incident.Filter{}); n != 4 {
		t.Fatalf("%d incidents stored, want 4", n)
	}
	_, hist, err := s.Get(ctx, first.ID)
	if err != nil || len(hist) != 1 {
		t.Fatalf("history of the retried incident: %d steps, %v", len(hist), err)
	}
}

// testConcurrentRetries: 20 retries at once, by key and by external
// reference, store exactly one incident each.
func testConcurrentRetries(t *testing.T, s incident.Store) {
	rng := seeded(t)
	byKey, byRef := fixture(rng, 1), fixture(rng, 2)
	byKey.ExternalRef, byRef.ExternalRef = "", "REF-20"
	const n = 20
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		ids     = map[string]map[incident.ID]int{"key": {}, "ref": {}}
		created = map[string]int{}
		errs    []error
	)
	for i := range 2 * n {
		wg.Go(func() {
			kind, inc, key := "key", byKey, "retry-key"
			if i%2 == 1 {
				kind, inc, key = "ref", byRef, fmt.Sprintf("own-key-%d", i)
			}
			got, c, err := s.Create(ctx, inc, report(inc), key)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			ids[kind][got.ID]++
			if c {
				created[kind]++
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, kind := range []string{"key", "ref"} {
		if len(ids[kind]) != 1 || created[kind] != 1 {
			t.Fatalf("retries by %s: ids %v, %d created; want one id, one created", kind, ids[kind], created[kind])
		}
	}
	if c := count(t, s, incident.Filter{}); c != 2 {
		t.Fatalf("%d incidents stored, want 2", c)
	}
}
