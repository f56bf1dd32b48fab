package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gridmap/gridmap/internal/syncbuf"
)

// asCLI, set in a child's environment, makes the test binary run as the
// gridmap command: the process tests start real gridmap processes without
// building a second binary.
const asCLI = "GRIDMAP_TEST_AS_CLI"

// tmpDir lives as long as the test binary (TestMain removes it).
var tmpDir string

func TestMain(m *testing.M) {
	if os.Getenv(asCLI) == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	dir, err := os.MkdirTemp("", "gridmap-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tmpDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	sampleOnce sync.Once
	sampleDir  string
	sampleErr  error
)

// sampleData returns a data directory holding the bundled sample as v1,
// made once and shared by the process tests (none of them imports).
func sampleData(t *testing.T) string {
	t.Helper()
	sampleOnce.Do(func() {
		sampleDir = filepath.Join(tmpDir, "data")
		var paths []string
		layers := filepath.Join(tmpDir, "sample")
		if sampleErr = os.MkdirAll(layers, 0o755); sampleErr != nil {
			return
		}
		if paths, sampleErr = sampleFiles(layers); sampleErr != nil {
			return
		}
		var out, errb bytes.Buffer
		if code := run(append([]string{"import", "--data", sampleDir}, paths...), nil, &out, &errb); code != 0 {
			sampleErr = fmt.Errorf("import: %d %s", code, errb.String())
		}
	})
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}
	return sampleDir
}

// proc is a real gridmap process.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr syncbuf.Buffer
	done           chan struct{} // closed when it exited
	err            error         // its exit, once done is closed
}

// gridmap starts the gridmap command with args and the extra environment
// env; the test kills it at its end if it still runs.
func gridmap(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(os.Args[0], args...), done: make(chan struct{})}
	p.cmd.Env = append(append(os.Environ(), asCLI+"=1"), env...)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("gridmap %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), p.stdout.String(), p.stderr.String())
		}
	})
	return p
}

// waitLog waits until the process's stdout or stderr matches re, and
// returns the submatches. It fails the test when the process exits first.
// (The guard only ends a test that would hang: it measures nothing.)
func (p *proc) waitLog(t *testing.T, re string) []string {
	t.Helper()
	rx := regexp.MustCompile(re)
	guard := time.After(3 * time.Minute)
	for {
		if m := rx.FindStringSubmatch(p.stdout.String() + p.stderr.String()); m != nil {
			return m
		}
		select {
		case <-p.done:
			if m := rx.FindStringSubmatch(p.stdout.String() + p.stderr.String()); m != nil {
				return m
			}
			t.Fatalf("gridmap exited (%v) before logging %s", p.err, re)
		case <-guard:
			t.Fatalf("gridmap never logged %s", re)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// serving waits for the process to serve and returns its base URL.
func (p *proc) serving(t *testing.T) string {
	t.Helper()
	return p.waitLog(t, `serving version v1 on (https?://[0-9.:]+)/`)[1]
}

// signal sends sig to the process.
func (p *proc) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// exit waits for the process to end and returns its exit code.
func (p *proc) exit(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(3 * time.Minute):
		t.Fatal("gridmap did not exit")
	}
	return p.cmd.ProcessState.ExitCode()
}
