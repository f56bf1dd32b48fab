package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/store"
)

func testEmpty(t *testing.T, open func() store.Store) {
	s := open()
	if err := s.Ready(ctx); err != nil {
		t.Errorf("Ready = %v, want nil", err)
	}
	if _, err := s.Active(ctx); !errors.Is(err, store.ErrNoActive) {
		t.Errorf("Active = %v, want ErrNoActive", err)
	}
	if list, err := s.List(ctx); err != nil || len(list) != 0 {
		t.Errorf("List = %v, %v; want none", list, err)
	}
	if _, err := s.Manifest(ctx, "v1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Manifest(v1) = %v, want ErrNotFound", err)
	}
	if _, _, err := s.Load(ctx, "v1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Load(v1) = %v, want ErrNotFound", err)
	}
	if err := s.Activate(ctx, "v9"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Activate(v9) = %v, want ErrNotFound", err)
	}
}

func testBadIDs(t *testing.T, open func() store.Store) {
	s := open()
	for _, id := range []string{"", "1", "v", "v0", "v01", "x1", "v1/../v2", "v99999999999", "V1"} {
		if _, err := s.Manifest(ctx, id); !errors.Is(err, store.ErrBadID) {
			t.Errorf("Manifest(%q) = %v, want ErrBadID", id, err)
		}
		if _, _, err := s.Load(ctx, id); !errors.Is(err, store.ErrBadID) {
			t.Errorf("Load(%q) = %v, want ErrBadID", id, err)
		}
		if err := s.Activate(ctx, id); !errors.Is(err, store.ErrBadID) {
			t.Errorf("Activate(%q) = %v, want ErrBadID", id, err)
		}
	}
}

func testPublishLoad(t *testing.T, open func() store.Store) {
	s := open()
	d1, d2 := Dataset(t, "one"), Dataset(t, "two")
	before := time.Now().Add(-time.Second)
	m1, err := s.Publish(ctx, d1, meta("first"), true)
	if err != nil {
		t.Fatal(err)
	}
	if m1.ID != "v1" || m1.Created.Before(before) || m1.Created.After(time.Now().Add(time.Second)) {
		t.Errorf("first publish: id %q created %v, want v1 now", m1.ID, m1.Created)
	}
	if !reflect.DeepEqual(m1.Layers, store.Summarise(d1)) || !reflect.DeepEqual(m1.Meta, meta("first")) {
		t.Errorf("manifest %+v does not say what was published", m1)
	}
	m2, err := s.Publish(ctx, d2, meta("second"), false)
	if err != nil {
		t.Fatal(err)
	}
	if m2.ID != "v2" {
		t.Errorf("second publish: id %q, want v2", m2.ID)
	}
	if a, err := s.Active(ctx); a != "v1" || err != nil {
		t.Errorf("Active = %q, %v; want v1 (v2 published inactive)", a, err)
	}
	for _, c := range []struct {
		m store.Manifest
		d any
	}{{m1, d1}, {m2, d2}} {
		got, err := s.Manifest(ctx, c.m.ID)
		if err != nil || !store.SameManifest(got, c.m) {
			t.Errorf("Manifest(%s) = %+v, %v; want %+v", c.m.ID, got, err, c.m)
		}
		d, lm, err := s.Load(ctx, c.m.ID)
		if err != nil {
			t.Fatalf("Load(%s): %v", c.m.ID, err)
		}
		if !store.SameManifest(lm, c.m) {
			t.Errorf("Load(%s) manifest %+v, want %+v", c.m.ID, lm, c.m)
		}
		want := d1
		if c.m.ID == "v2" {
			want = d2
		}
		SameDataset(t, "Load("+c.m.ID+")", d, want)
		if l := d.Layers[len(d.Layers)-1]; !l.Partial {
			t.Errorf("Load(%s): layer %s lost Partial", c.m.ID, l.Name)
		}
	}
	list, err := s.List(ctx)
	if err != nil || len(list) != 2 || !store.SameManifest(list[0], m1) || !store.SameManifest(list[1], m2) {
		t.Errorf("List = %+v, %v; want v1, v2", list, err)
	}
}

func testActivate(t *testing.T, open func() store.Store) {
	s := open()
	for i := 1; i <= 3; i++ {
		if _, err := s.Publish(ctx, Dataset(t, strconv.Itoa(i)), meta(""), i == 3); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"v1", "v3", "v2", "v2"} {
		if err := s.Activate(ctx, id); err != nil {
			t.Fatalf("Activate(%s): %v", id, err)
		}
		if a, err := open().Active(ctx); a != id || err != nil {
			t.Errorf("after Activate(%s), another handle's Active = %q, %v", id, a, err)
		}
	}
}

// testPublishAtomic publishes with a context already ended: the publish
// fails and the store is as it was, neither the version nor its activation
// visible.
func testPublishAtomic(t *testing.T, open func() store.Store) {
	s := open()
	if _, err := s.Publish(ctx, Dataset(t, "kept"), meta(""), true); err != nil {
		t.Fatal(err)
	}
	ended, cancel := contextEnded()
	defer cancel()
	if m, err := s.Publish(ended, Dataset(t, "dropped"), meta(""), true); err == nil {
		t.Fatalf("Publish with an ended context = %s, want an error", m.ID)
	}
	if a, err := s.Active(ctx); a != "v1" || err != nil {
		t.Errorf("Active = %q, %v after a failed publish, want v1", a, err)
	}
	if list, err := s.List(ctx); err != nil || len(list) != 1 {
		t.Errorf("List = %v, %v after a failed publish, want v1 alone", list, err)
	}
	m, err := s.Publish(ctx, Dataset(t, "next"), meta(""), true)
	if err != nil || m.ID != "v2" {
		t.Errorf("Publish after a failed one = %q, %v; want v2", m.ID, err)
	}
}

// testConcurrent publishes from two handles (two processes' worth) and
// several goroutines each: every publish gets its own id, and every id
// loads the version published under it.
func testConcurrent(t *testing.T, open func() store.Store) {
	const handles, writers, each = 2, 3, 2
	var mu sync.Mutex
	got := map[string]string{} // id → note
	var wg sync.WaitGroup
	for h := 0; h < handles; h++ {
		s := open()
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					note := fmt.Sprintf("h%d w%d #%d", h, w, i)
					m, err := s.Publish(ctx, Dataset(t, note), meta(note), i%2 == 0)
					if err != nil {
						t.Errorf("publish %s: %v", note, err)
						return
					}
					mu.Lock()
					if prev, dup := got[m.ID]; dup {
						t.Errorf("%s and %s both got id %s", prev, note, m.ID)
					}
					got[m.ID] = note
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	s := open()
	list, err := s.List(ctx)
	if err != nil || len(list) != handles*writers*each {
		t.Fatalf("List = %d versions, %v; want %d", len(list), err, handles*writers*each)
	}
	ids := make([]string, 0, len(list))
	for _, m := range list {
		ids = append(ids, m.ID)
		if got[m.ID] != m.Note {
			t.Errorf("%s: note %q, published as %q", m.ID, m.Note, got[m.ID])
		}
	}
	if !sort.SliceIsSorted(ids, func(i, j int) bool { return num(ids[i]) < num(ids[j]) }) {
		t.Errorf("List not oldest first: %v", ids)
	}
	d, m, err := s.Load(ctx, list[len(list)-1].ID)
	if err != nil {
		t.Fatal(err)
	}
	SameDataset(t, "Load("+m.ID+")", d, Dataset(t, m.Note))
}

func num(id string) int { n, _ := strconv.Atoi(id[1:]); return n }
