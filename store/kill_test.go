package store_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/gridmap/gridmap/store"
)

// TestMain lets the test binary act as a publisher that TestKillAnyMoment
// kills: with GRIDMAP_STORE_PUBLISHER=DIR it publishes and activates
// versions into DIR until it is killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("GRIDMAP_STORE_PUBLISHER"); dir != "" {
		s, err := store.OpenDir(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		d := sample(&testing.T{}, "killed")
		for i := 0; ; i++ {
			if _, err := s.Publish(context.Background(), d, store.Meta{Note: fmt.Sprint(i)}, true); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(4)
			}
		}
	}
	os.Exit(m.Run())
}

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
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "GRIDMAP_STORE_PUBLISHER="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
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
