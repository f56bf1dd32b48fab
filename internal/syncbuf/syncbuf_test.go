package syncbuf

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentWrites: lines written from many goroutines while Take and
// String read are all found once, whole.
func TestConcurrentWrites(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				fmt.Fprintf(&b, "g%d-%d\n", g, i)
			}
		}()
	}
	var taken strings.Builder
	for range 50 {
		taken.WriteString(b.Take())
		_ = b.String()
	}
	wg.Wait()
	taken.WriteString(b.Take())
	lines := strings.Split(strings.TrimSuffix(taken.String(), "\n"), "\n")
	seen := map[string]bool{}
	for _, l := range lines {
		if seen[l] {
			t.Fatalf("line %q twice", l)
		}
		seen[l] = true
	}
	if len(seen) != 800 {
		t.Errorf("%d lines, want 800", len(seen))
	}
	if b.String() != "" {
		t.Errorf("String after the last Take = %q, want empty", b.String())
	}
}
