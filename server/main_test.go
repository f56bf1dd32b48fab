package server_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// tmpDir holds what lives as long as the test binary: the stores of the
// servers of start and startAdmin. TestMain removes it, as t.TempDir would
// for one test.
var tmpDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gridmap-server-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tmpDir = dir
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// binaryDir returns a new directory named name in the test binary's
// temporary directory (removed by TestMain).
func binaryDir(name string) string {
	return filepath.Join(tmpDir, name)
}
