package replicas

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/gridmap/gridmap/store/pgstore"
)

// adminToken is the bootstrap admin token of the replicas
// (GRIDMAP_ADMIN_TOKEN).
const adminToken = "replicas-test-admin-token"

// startTimeout bounds a replica's start and every wait of the test for the
// replicas: a guard against a hung process, not a measurement.
const startTimeout = 90 * time.Second

// gridmapBin builds cmd/gridmap into dir and returns the binary's path.
func gridmapBin(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "gridmap")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/gridmap").CombinedOutput(); err != nil {
		t.Fatalf("go build ../../cmd/gridmap: %v\n%s", err, out)
	}
	return bin
}

// rig is one deployment: a private PostgreSQL cluster, the database of
// gridmap's in it, the replicas serving it, and the test's own view of the
// store (to read the active version, list and load versions, and LISTEN).
type rig struct {
	t    *testing.T
	bin  string
	pg   *pgtest.Cluster
	dsn  string
	st   *pgstore.Store
	reps []*replica
	// sets are the two inputs the imports alternate between (layer →
	// file), the first imported as v1; imports counts the imports.
	sets    [2]map[string]string
	imports int
}

// newRig starts a cluster and a database, imports the bundled Jiangyin
// sample as v1 (gridmap import --store, which builds and publishes its
// index and tiles and keeps no copy of them), and starts
// n replicas: the first alone (it builds v1's point index and publishes it),
// then the others together (they read it).
func newRig(t *testing.T, n int) *rig {
	t.Helper()
	r := &rig{t: t, pg: pgtest.StartCluster(t)}
	r.bin = gridmapBin(t, t.TempDir())
	r.dsn = pgtest.CreateDB(t, r.pg.Admin)
	t.Cleanup(r.stopAll)
	r.sets = testSets(t)
	importData := t.TempDir()
	args := []string{"import", "--store", r.dsn, "--data", importData, "--who", "replicas test"}
	for _, l := range testLayers {
		args = append(args, l+"="+r.sets[0][l])
	}
	if out, err := exec.Command(r.bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("gridmap import --store: %v\n%s", err, out)
	}
	// it serves nothing: the local copies of the files it published are gone
	if left, _ := filepath.Glob(filepath.Join(importData, "pgstore", "v*")); len(left) > 0 {
		t.Errorf("gridmap import --store left copies of published files: %v", left)
	}
	for i := range n {
		rep := &replica{name: fmt.Sprintf("replica%d", i+1), data: filepath.Join(t.TempDir(), "data"), addr: freeAddr(t)}
		r.reps = append(r.reps, rep)
	}
	r.start(t, r.reps[0])
	errs := make(chan error, n)
	for _, rep := range r.reps[1:] {
		go func() { errs <- r.launch(rep) }()
	}
	for range r.reps[1:] {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	st, err := pgstore.Open(ctx, r.dsn, pgstore.Options{NoMigrate: true, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	r.st = st
	t.Cleanup(st.Close)
	return r
}

// stopAll kills every replica still running and, when the test failed,
// prints their logs; with -v, the lines that time their builds and switches.
func (r *rig) stopAll() {
	for _, rep := range r.reps {
		rep.kill()
		if r.t.Failed() {
			r.t.Logf("log of %s (last %d bytes):\n%s", rep.name, rep.log.max, rep.log)
			continue
		}
		for line := range strings.Lines(rep.log.String()) {
			if testing.Verbose() && (strings.Contains(line, "loaded and built") || strings.Contains(line, "snapshot in") || strings.Contains(line, "ahead") || strings.Contains(line, "serving version v")) {
				r.t.Logf("%s: %s", rep.name, strings.TrimSpace(line))
			}
		}
	}
}

// active returns the store's active version.
func (r *rig) active(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	id, err := r.st.Active(ctx)
	if err != nil {
		t.Fatalf("the store's active version: %v", err)
	}
	return id
}

// start starts rep's `gridmap serve` on the rig's store and waits until its
// /readyz answers 200; it fails the test when the process exits first or
// is not ready within startTimeout.
func (r *rig) start(t *testing.T, rep *replica) {
	t.Helper()
	if err := r.launch(rep); err != nil {
		t.Fatal(err)
	}
	a, _ := rep.ready()
	t.Logf("%s ready on %s, version %s, store %s", rep.name, rep.addr, a.Version, a.Store)
}

// launch starts rep and waits until its /readyz answers 200, or says why
// not.
func (r *rig) launch(rep *replica) error {
	rep.log = &tailBuffer{max: 16 << 10}
	rep.exited = make(chan error, 1)
	rep.cmd = exec.Command(r.bin, "serve", "--store", r.dsn, "--data", rep.data, "--addr", rep.addr)
	rep.cmd.Env = append(os.Environ(), "GRIDMAP_ADMIN_TOKEN="+adminToken)
	rep.cmd.Stdout, rep.cmd.Stderr = rep.log, rep.log
	if err := rep.cmd.Start(); err != nil {
		return fmt.Errorf("%s: %w", rep.name, err)
	}
	go func(cmd *exec.Cmd, exited chan error) { exited <- cmd.Wait() }(rep.cmd, rep.exited)
	deadline := time.Now().Add(startTimeout)
	for {
		if _, err := rep.ready(); err == nil {
			rep.gen.Add(1)
			rep.up.Store(true)
			return nil
		}
		select {
		case err := <-rep.exited:
			return fmt.Errorf("%s exited at start: %v\n%s", rep.name, err, rep.log)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			rep.kill()
			return fmt.Errorf("%s not ready after %v\n%s", rep.name, startTimeout, rep.log)
		}
	}
}

// waitAll waits until cond holds of the /readyz answer of every replica
// that is up, and returns the answers; it fails the test after
// startTimeout, saying what was awaited.
func (r *rig) waitAll(t *testing.T, what string, cond func(readyAnswer) bool) map[string]readyAnswer {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	for {
		got, all := map[string]readyAnswer{}, true
		for _, rep := range r.reps {
			if !rep.up.Load() {
				continue
			}
			a, err := rep.ready()
			got[rep.name] = a
			all = all && err == nil && cond(a)
		}
		if all {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v, not every replica %s: %+v", startTimeout, what, got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// freeAddr returns a loopback address with a port free now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().String()
}

// readyAnswer is a 200 answer of /readyz.
type readyAnswer struct {
	Status  string `json:"status"`
	Version string `json:"version"`
	Store   string `json:"store"`
	Writes  bool   `json:"writes"`
	Problem string `json:"problem"`
}

// client bounds every request of the test, so that it never hangs on a
// replica that stopped answering.
var client = &http.Client{Timeout: startTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}

// ready asks rep's /readyz; an answer other than 200 is an error.
func (rep *replica) ready() (readyAnswer, error) {
	var a readyAnswer
	resp, err := client.Get(rep.base() + "/readyz")
	if err != nil {
		return a, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return a, err
	}
	if resp.StatusCode != http.StatusOK {
		return a, fmt.Errorf("readyz %d: %s", resp.StatusCode, b)
	}
	return a, json.Unmarshal(b, &a)
}

// tailBuffer keeps the last max bytes written to it, without the request
// log's lines (one per lookup of the load).
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for line := range bytes.Lines(p) {
		if !bytes.Contains(line, []byte(" msg=request ")) {
			b.buf = append(b.buf, line...)
		}
	}
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
