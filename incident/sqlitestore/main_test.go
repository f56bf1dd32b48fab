package sqlitestore_test

import (
	"fmt"
	"os"
	"testing"
)

// The test binary re-executes itself to play a process that is killed:
// envRole names what it does, envPath the store's file.
const (
	envRole = "GRIDMAP_INCIDENTS_ROLE"
	envPath = "GRIDMAP_INCIDENTS_PATH"
)

// roles are what a re-executed test binary can do; each runs until killed
// or returns an error.
var roles = map[string]func(path string) error{
	"write-forever": writeForever,
}

func TestMain(m *testing.M) {
	if role := os.Getenv(envRole); role != "" {
		fn, ok := roles[role]
		if !ok {
			fmt.Fprintln(os.Stderr, "unknown role", role)
			os.Exit(3)
		}
		if err := fn(os.Getenv(envPath)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
		os.Exit(0)
	}
	code := m.Run()
	removeBench()
	os.Exit(code)
}

// writeFile writes text to path.
func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o644) }
