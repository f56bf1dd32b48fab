package store_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gridmap/gridmap/store"
)

// The test binary re-executes itself to play other processes on one data
// dir: GRIDMAP_STORE_ROLE names the role, GRIDMAP_STORE_DIR the data dir.
const (
	envRole = "GRIDMAP_STORE_ROLE"
	envDir  = "GRIDMAP_STORE_DIR"
	envArg  = "GRIDMAP_STORE_ARG"
)

// roles are what a re-executed test binary can do; each returns when done
// (or never, until killed).
var roles = map[string]func(dir, arg string) error{
	"publish-forever": publishForever,
	"publish-for":     publishFor,
	"list-until":      listUntil,
	"hold":            hold,
}

func TestMain(m *testing.M) {
	if role := os.Getenv(envRole); role != "" {
		if err := roles[role](os.Getenv(envDir), os.Getenv(envArg)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child starts the test binary in role on dir.
func child(t *testing.T, role, dir, arg string) (*exec.Cmd, io.ReadCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envRole+"="+role, envDir+"="+dir, envArg+"="+arg)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, out
}

// publishForever publishes and activates versions until killed.
func publishForever(dir, _ string) error {
	s, err := store.OpenDir(dir)
	if err != nil {
		return err
	}
	d := sample(&testing.T{}, "killed")
	for i := 0; ; i++ {
		if _, err := s.Publish(context.Background(), d, store.Meta{Note: fmt.Sprint(i)}, true); err != nil {
			return err
		}
	}
}

// publishFor publishes and activates versions for arg milliseconds, each
// through a store opened anew, and prints their ids.
func publishFor(dir, arg string) error {
	ms, err := strconv.Atoi(arg)
	if err != nil {
		return err
	}
	d := sample(&testing.T{}, "concurrent")
	for end := time.Now().Add(time.Duration(ms) * time.Millisecond); time.Now().Before(end); {
		s, err := store.OpenDir(dir)
		if err != nil {
			return err
		}
		m, err := s.Publish(context.Background(), d, store.Meta{Who: strconv.Itoa(os.Getpid())}, true)
		if err != nil {
			return err
		}
		fmt.Println(m.ID)
	}
	return nil
}

// listUntil opens the store and lists its versions in a loop until the file
// arg exists, then prints how many rounds it made.
func listUntil(dir, arg string) error {
	ctx := context.Background()
	n := 0
	for ; ; n++ {
		if _, err := os.Stat(arg); err == nil {
			break
		}
		s, err := store.OpenDir(dir)
		if err != nil {
			return err
		}
		if _, err := s.List(ctx); err != nil {
			return err
		}
		if _, err := s.Active(ctx); err != nil && !errors.Is(err, store.ErrNoActive) {
			return err
		}
	}
	fmt.Println(n)
	return nil
}

// hold makes the temporary entries of a live publish and activation, prints
// their paths and waits to be killed.
func hold(dir, _ string) error {
	s, err := store.OpenDir(dir)
	if err != nil {
		return err
	}
	tmp, ptr, err := store.HoldTemps(s)
	if err != nil {
		return err
	}
	fmt.Println(tmp)
	fmt.Println(ptr)
	for {
		time.Sleep(time.Hour)
	}
}

// lines reads the lines a child prints.
func lines(r io.Reader) []string {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// stopFile is the path whose creation ends a list-until child.
func stopFile(t *testing.T) string { return filepath.Join(t.TempDir(), "stop") }
