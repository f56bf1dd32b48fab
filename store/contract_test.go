package store_test

import (
	"testing"

	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/store/storetest"
)

// TestContract runs the shared contract of stores on the embedded store.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() store.Store {
		dir := t.TempDir()
		return func() store.Store {
			s, err := store.OpenDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	})
}
