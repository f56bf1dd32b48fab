package sqlitestore_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/sqlitestore"
)

// killRounds is how many times TestKillLosesNothing kills a writer.
const killRounds = 24

// writers is how many goroutines of the killed process write at once.
const writers = 8

// TestKillLosesNothing kills (SIGKILL) a process writing incidents from
// several goroutines at random moments, 24 times; after each kill the file
// passes SQLite's integrity check and holds every incident and every step
// the process had acknowledged (printed after Create or Apply returned),
// in every round so far.
func TestKillLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 24 processes")
	}
	path := filepath.Join(t.TempDir(), "incidents.db")
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	created := map[incident.ID]bool{}
	applied := map[uint64]incident.ID{}
	for round := range killRounds {
		out := killAfter(t, path, time.Duration(rng.Intn(250))*time.Millisecond)
		c, a := acks(t, out)
		for _, id := range c {
			created[id] = true
		}
		for seq, id := range a {
			applied[seq] = id
		}
		verify(t, path, created, applied)
		t.Logf("round %d: %d acknowledged this round, %d incidents and %d steps so far", round, len(c)+len(a), len(created), len(applied))
	}
}

// killAfter starts a writer on path, waits for its first acknowledgement
// and then d, kills it and returns what it printed.
func killAfter(t *testing.T, path string, d time.Duration) []byte {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envRole+"=write-forever", envPath+"="+path)
	cmd.Stderr = os.Stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(pipe)
	first, err := r.ReadBytes('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("writer printed nothing: %v", err)
	}
	time.Sleep(d)
	cmd.Process.Kill()
	rest, _ := io.ReadAll(r)
	cmd.Wait()
	return append(first, rest...)
}

// acks reads the complete lines a writer printed: "C id" after a Create
// returned, "A id seq" after an Apply returned. A last line cut by the kill
// is ignored.
func acks(t *testing.T, out []byte) (created []incident.ID, applied map[uint64]incident.ID) {
	t.Helper()
	applied = map[uint64]incident.ID{}
	if i := bytes.LastIndexByte(out, '\n'); i >= 0 {
		out = out[:i+1]
	} else {
		out = nil
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		f := strings.Fields(line)
		nums := make([]int64, len(f))
		for i := 1; i < len(f); i++ {
			n, err := strconv.ParseInt(f[i], 10, 64)
			if err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			nums[i] = n
		}
		switch {
		case len(f) == 2 && f[0] == "C":
			created = append(created, incident.ID(nums[1]))
		case len(f) == 3 && f[0] == "A":
			applied[uint64(nums[2])] = incident.ID(nums[1])
		case len(f) == 0:
		default:
			t.Fatalf("writer printed %q", line)
		}
	}
	return created, applied
}

// verify opens the store at path and checks it holds every acknowledged
// incident with its report and every acknowledged step.
func verify(t *testing.T, path string, created map[incident.ID]bool, applied map[uint64]incident.ID) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	steps := map[uint64]incident.Transition{}
	for id := range created {
		_, hist, err := s.Get(ctx, id)
		if err != nil {
			t.Fatalf("acknowledged incident %d: %v", id, err)
		}
		if len(hist) == 0 || hist[0].Action != incident.ActReport {
			t.Fatalf("acknowledged incident %d has no report: %+v", id, hist)
		}
		for _, h := range hist {
			steps[h.Seq] = h
		}
	}
	for seq, id := range applied {
		if h, ok := steps[seq]; !ok || h.Incident != id || h.Action != incident.ActAssess {
			t.Fatalf("acknowledged step %d of incident %d: stored %+v", seq, id, h)
		}
	}
}

// writeForever creates incidents and assesses each, from several
// goroutines, printing each acknowledgement, until killed.
func writeForever(path string) error {
	s, err := sqlitestore.Open(path)
	if err != nil {
		return err
	}
	var (
		mu   sync.Mutex
		errc = make(chan error, writers)
	)
	say := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(os.Stdout, format, a...)
	}
	for w := range writers {
		go func() {
			for i := 0; ; i++ {
				ref := fmt.Sprintf("%d-%d-%d", os.Getpid(), w, i)
				if err := writeOne(s, ref, say); err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	return <-errc
}

// writeOne creates one incident of external reference ref and assesses it.
func writeOne(s *sqlitestore.Store, ref string, say func(string, ...any)) error {
	ctx := context.Background()
	now := time.Now()
	inc := incident.Incident{
		Status: incident.Reported, Lon: 120.28, Lat: 31.91, CRS: "wgs84", Category: "市容环境",
		Source: "12345", ExternalRef: ref, ReportedAt: now, UpdatedAt: now, Version: "v1",
		Chain: []incident.Link{{Layer: "grids", Code: "G01"}, {Layer: "towns", Code: "T1"}},
	}
	rep := incident.Transition{Action: incident.ActReport, To: incident.Reported, At: now, Actor: incident.System}
	got, _, err := s.Create(ctx, inc, rep, "")
	if err != nil {
		return err
	}
	say("C %d\n", got.ID)
	after := got
	after.Status, after.UpdatedAt = incident.Assessed, got.UpdatedAt.Add(time.Millisecond)
	seq, err := s.Apply(ctx, got, after, incident.Transition{Action: incident.ActAssess, From: incident.Reported,
		To: incident.Assessed, At: after.UpdatedAt, Actor: incident.System})
	if err != nil {
		return err
	}
	say("A %d %d\n", got.ID, seq)
	return nil
}
