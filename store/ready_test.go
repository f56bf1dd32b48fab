package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/store"
)

// TestReady: a store is ready when its directory and ACTIVE file (or, before
// the first activation, its versions directory) can be read, and says what
// is missing, without its path, when not.
func TestReady(t *testing.T) {
	tests := []struct {
		name    string
		breakIt func(t *testing.T, dir string)
		want    string // in the error; "" for ready
	}{
		{"fresh store", nil, ""},
		{"with ACTIVE", func(t *testing.T, dir string) { write(t, filepath.Join(dir, "ACTIVE"), "v1\n") }, ""},
		{"directory gone", func(t *testing.T, dir string) { rename(t, dir, dir+".away") }, "store directory"},
		{"directory is a file", func(t *testing.T, dir string) {
			rename(t, dir, dir+".away")
			write(t, dir, "x")
		}, "not a directory"},
		{"versions gone", func(t *testing.T, dir string) { rename(t, filepath.Join(dir, "versions"), dir+".v") }, "versions directory"},
		{"ACTIVE unreadable", func(t *testing.T, dir string) {
			if err := os.Mkdir(filepath.Join(dir, "ACTIVE"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, "ACTIVE file"},
		{"context ended", nil, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "store")
			s, err := store.OpenDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if tt.breakIt != nil {
				tt.breakIt(t, dir)
			}
			ctx, cancel := context.WithCancel(context.Background())
			if tt.want == "context canceled" {
				cancel()
			}
			defer cancel()
			err = s.Ready(ctx)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Ready: %v, want nil", err)
			case tt.want != "" && (!errors.Is(err, store.ErrUnreachable) || !strings.Contains(fmt.Sprint(err), tt.want)):
				t.Errorf("Ready: %v, want ErrUnreachable naming %q", err, tt.want)
			case err != nil && strings.Contains(err.Error(), dir):
				t.Errorf("Ready: %v names the store's path", err)
			}
		})
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func rename(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
}
