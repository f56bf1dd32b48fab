package auth_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/auth"
)

// A test binary started with envKeysFile set is a child of
// TestSeveralWriters: it adds envAdds keys named PREFIX-N to the file, as
// gridmap keys add does, and exits.
const (
	envKeysFile = "GRIDMAP_AUTH_KEYS_FILE"
	envAdds     = "GRIDMAP_AUTH_ADDS"
	envPrefix   = "GRIDMAP_AUTH_PREFIX"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(envKeysFile); path != "" {
		os.Exit(addMany(path))
	}
	os.Exit(m.Run())
}

// addMany is the child's work.
func addMany(path string) int {
	n, _ := strconv.Atoi(os.Getenv(envAdds))
	k, err := auth.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := 0; i < n; i++ {
		if _, _, err := k.Add(fmt.Sprintf("%s-%d", os.Getenv(envPrefix), i), auth.RoleReader); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

// TestSeveralWriters: three processes add keys to one file at once; every
// key of every process is in the file, and the file is valid.
func TestSeveralWriters(t *testing.T) {
	const procs, adds = 3, 30
	path := filepath.Join(t.TempDir(), "keys.json")
	var cmds []*exec.Cmd
	for p := 0; p < procs; p++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envKeysFile+"="+path, envAdds+"="+strconv.Itoa(adds), envPrefix+"="+strconv.Itoa(p))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	k, err := auth.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	list, err := k.List()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, key := range list {
		names[key.Name] = true
	}
	for p := 0; p < procs; p++ {
		for i := 0; i < adds; i++ {
			if n := fmt.Sprintf("%d-%d", p, i); !names[n] {
				t.Errorf("key %s lost", n)
			}
		}
	}
	if len(list) != procs*adds {
		t.Errorf("%d keys, want %d", len(list), procs*adds)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".keys.json.tmp-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
