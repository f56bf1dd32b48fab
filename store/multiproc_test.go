package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/gridmap/gridmap/store"
)

// TestSeveralProcesses runs, on one data dir, a process that opens the store
// and lists its versions in a loop, a publisher, and a second publisher
// started 0.5 s after the first: no process fails, every id is given once,
// and every version loads.
func TestSeveralProcesses(t *testing.T) {
	dir := t.TempDir()
	stop := stopFile(t)
	lister, listOut := child(t, "list-until", dir, stop)
	first, firstOut := child(t, "publish-for", dir, "1500")
	time.Sleep(500 * time.Millisecond)
	second, secondOut := child(t, "publish-for", dir, "1500")
	var ids [2][]string
	done := make(chan int)
	go func() { ids[0] = lines(firstOut); done <- 0 }()
	go func() { ids[1] = lines(secondOut); done <- 1 }()
	<-done
	<-done
	for i, cmd := range []interface{ Wait() error }{first, second} {
		if err := cmd.Wait(); err != nil {
			t.Errorf("publisher %d failed after %d versions: %v", i+1, len(ids[i]), err)
		}
	}
	if err := os.WriteFile(stop, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	rounds := lines(listOut)
	if err := lister.Wait(); err != nil {
		t.Errorf("lister failed: %v", err)
	}
	t.Logf("publishers made %d and %d versions; lister made %v rounds", len(ids[0]), len(ids[1]), rounds)
	checkAllLoad(t, dir, append(ids[0], ids[1]...))
}

// checkAllLoad checks that ids are distinct, that they are all the versions
// of the store in dir, and that each loads.
func checkAllLoad(t *testing.T, dir string, ids []string) {
	t.Helper()
	ctx := context.Background()
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("id %s given twice", id)
		}
		seen[id] = true
	}
	s, err := store.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(ids) {
		t.Errorf("store holds %d versions, publishers made %d", len(list), len(ids))
	}
	for _, m := range list {
		if !seen[m.ID] {
			t.Errorf("version %s not made by a publisher", m.ID)
		}
		if _, _, err := s.Load(ctx, m.ID); err != nil {
			t.Errorf("version %s: %v", m.ID, err)
		}
	}
}
