package store_test

import (
	"context"
	"math/rand"
	"testing"
	"time"

	"github.com/gridmap/gridmap/store"
)

// TestKillAnyMoment kills a publishing process (SIGKILL) at random moments;
// after each kill the store opens, its active version loads whole, and every
// listed version loads.
func TestKillAnyMoment(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	for round := 0; round < 8; round++ {
		cmd, _ := child(t, "publish-forever", dir, "")
		time.Sleep(time.Duration(20+rng.Intn(200)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		s, err := store.OpenDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		id, err := s.Active(ctx)
		if err != nil {
			continue // killed before the first activation
		}
		if _, _, err := s.Load(ctx, id); err != nil {
			t.Fatalf("round %d: active %s does not load: %v", round, id, err)
		}
		list, err := s.List(ctx)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		for _, m := range list {
			if _, _, err := s.Load(ctx, m.ID); err != nil {
				t.Fatalf("round %d: version %s does not load: %v", round, m.ID, err)
			}
		}
		t.Logf("round %d: %d versions, active %s", round, len(list), id)
	}
}
