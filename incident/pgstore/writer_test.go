package pgstore_test

import (
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/pgstore"
	"github.com/gridmap/gridmap/internal/pgtest"
)

// newInc is a reported incident of grid G1 described as desc, with the
// external reference ref.
func newInc(desc, ref string) (incident.Incident, incident.Transition) {
	at := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	inc := incident.Incident{Status: incident.Reported, Lon: 120.5, Lat: 31.5, Category: "市容环境", Source: "12345",
		ExternalRef: ref, Description: desc, ReportedAt: at, UpdatedAt: at,
		Chain: []incident.Link{{Layer: "grids", Code: "G1", Name: "G1"}, {Layer: "towns", Code: "T", Name: "T"}}}
	return inc, incident.Transition{Action: incident.ActReport, To: incident.Reported, At: at}
}

// assessed is inc after an assess step, and that step.
func assessed(inc incident.Incident) (incident.Incident, incident.Transition) {
	after := inc
	after.Status, after.UpdatedAt = incident.Assessed, inc.UpdatedAt.Add(time.Minute)
	return after, incident.Transition{Incident: inc.ID, Action: incident.ActAssess, From: inc.Status, To: incident.Assessed, At: after.UpdatedAt}
}

// result is what one write of a batch gave.
type result struct {
	id      incident.ID
	seq     uint64
	created bool
	err     error
}

// TestGroupCommit queues writes of every kind while the writer is held,
// so that they run as one batch in this order, and checks that each gets
// its own answer: a failed write (a NUL byte PostgreSQL refuses, failing
// in the middle of a pipelined send or at its end) is undone alone and the
// writes after it run again; creates of one key or one reference in the
// batch store one incident; a stale step conflicts; the stored
// transitions are those of the writes that succeeded, Seqs consecutive.
func TestGroupCommit(t *testing.T) {
	dsn := migrated(t, pgtest.NewDB(t))
	s := open(t, dsn)
	release := pgstore.Hold(s)
	bad := "bad \x00 byte"
	type write struct {
		name string
		do   func() result
		want func(r result, all []result) error
	}
	create := func(desc, ref, key string) func() result {
		return func() result {
			inc, tr := newInc(desc, ref)
			stored, seq, created, err := s.CreateSeq(ctx, inc, tr, key)
			return result{stored.ID, seq, created, err}
		}
	}
	var x incident.Incident // stored before the batch, stepped in it
	apply := func(id *incident.ID, desc string) func() result {
		return func() result {
			expect := x
			expect.ID = *id
			after, tr := assessed(expect)
			after.Description = desc
			seq, err := s.Apply(ctx, expect, after, tr)
			return result{*id, seq, err == nil, err}
		}
	}
	ok := func(r result, _ []result) error {
		if r.err != nil || !r.created || r.seq == 0 {
			return fmt.Errorf("got %+v (%v), want stored", r, r.err)
		}
		return nil
	}
	failed := func(r result, _ []result) error {
		if r.err == nil || errors.Is(r.err, incident.ErrUnavailable) || errors.Is(r.err, incident.ErrConflict) {
			return fmt.Errorf("got %+v, want its own error", r)
		}
		return nil
	}
	is := func(target error) func(result, []result) error {
		return func(r result, _ []result) error {
			if !errors.Is(r.err, target) {
				return fmt.Errorf("got %v, want %v", r.err, target)
			}
			return nil
		}
	}
	replayOf := func(i int) func(result, []result) error {
		return func(r result, all []result) error {
			if r.err != nil || r.created || r.id != all[i].id {
				return fmt.Errorf("got %+v, want incident %d replayed", r, all[i].id)
			}
			return nil
		}
	}
	missing := incident.ID(1 << 40)
	writes := []write{
		{"fresh", create("a", "", ""), ok},
		{"fresh refused", create(bad, "", ""), failed}, // fails in the next write's send
		{"fresh after", create("b", "", ""), ok},
		{"keyed", create("c", "", "K"), ok},
		{"keyed again", create("d", "", "K"), replayOf(3)},
		{"ref", create("e", "R", ""), ok},
		{"ref again", create("f", "R", ""), replayOf(5)},
		{"ref refused", create(bad, "R2", ""), failed},
		{"step", apply(&x.ID, "stepped"), ok},
		{"stale step", apply(&x.ID, "again"), is(incident.ErrConflict)},
		{"step of none", apply(&missing, "none"), is(incident.ErrNotFound)},
		{"fresh last", create("g", "", ""), ok},
		{"fresh refused last", create(bad, "", ""), failed}, // fails with the flush
	}
	inc, tr := newInc("x", "")
	release()
	x, _, _, err := s.CreateSeq(ctx, inc, tr, "")
	if err != nil {
		t.Fatal(err)
	}
	s2 := open(t, dsn)
	release = pgstore.Hold(s2)
	s = s2
	results := make([]result, len(writes))
	var wg sync.WaitGroup
	for i, w := range writes {
		wg.Go(func() { results[i] = w.do() })
		pgstore.WaitQueued(s, i+1)
	}
	release()
	wg.Wait()
	for i, w := range writes {
		if err := w.want(results[i], results); err != nil {
			t.Errorf("%s: %v", w.name, err)
		}
	}
	if b, n := pgstore.Batches(s); b != 1 || n != len(writes) {
		t.Errorf("%d writes in %d batches, want %d in 1", n, b, len(writes))
	}
	var seqs []uint64
	for _, r := range results {
		if r.err == nil && r.seq != 0 {
			seqs = append(seqs, r.seq)
		}
	}
	checkHistory(t, s, append([]uint64{1}, seqs...))
}

// checkHistory fails t unless the transitions stored are those of seqs,
// numbered 1, 2, 3… without a gap.
func checkHistory(t *testing.T, s *pgstore.Store, seqs []uint64) {
	t.Helper()
	hist, err := s.Since(ctx, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]uint64, len(hist))
	for i, h := range hist {
		got[i] = h.Seq
		if h.Seq != uint64(i+1) {
			t.Fatalf("transition %d has seq %d, want %d", i, h.Seq, i+1)
		}
	}
	slices.Sort(seqs)
	if !slices.Equal(got, seqs) {
		t.Fatalf("stored seqs %v, want those answered %v", got, seqs)
	}
}

// TestGroupCommitReplicas runs creates and steps on the same incidents
// from two stores (two replicas' writers) at once, in random orders: no
// batch deadlocks with the other's, every write is answered, and the
// history holds exactly the steps answered, Seqs consecutive.
func TestGroupCommitReplicas(t *testing.T) {
	dsn := migrated(t, pgtest.NewDB(t))
	stores := []*pgstore.Store{open(t, dsn), open(t, dsn)}
	var shared []incident.Incident
	var seqs []uint64
	for i := range 8 {
		inc, tr := newInc(fmt.Sprint("shared ", i), fmt.Sprint("S", i))
		stored, seq, _, err := stores[0].CreateSeq(ctx, inc, tr, "")
		if err != nil {
			t.Fatal(err)
		}
		shared, seqs = append(shared, stored), append(seqs, seq)
	}
	rng := seeded(t)
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for g := range 16 {
		s, order := stores[g%2], rng.Perm(len(shared))
		key := fmt.Sprint("key ", g%4)
		wg.Go(func() {
			for _, j := range order {
				var seq uint64
				var err error
				if j%2 == 0 {
					after, tr := assessed(shared[j])
					seq, err = s.Apply(ctx, shared[j], after, tr)
				} else {
					inc, tr := newInc("new", "")
					_, seq, _, err = s.CreateSeq(ctx, inc, tr, key)
				}
				if err != nil && !errors.Is(err, incident.ErrConflict) {
					t.Error(err)
				}
				mu.Lock()
				if seq != 0 {
					seqs = append(seqs, seq)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	checkHistory(t, stores[1], seqs)
	b, n := pgstore.Batches(stores[0])
	t.Logf("store 0: %d writes in %d batches", n, b)
}

// seeded returns a random source and logs its seed.
func seeded(t *testing.T) *rand.Rand {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	return rand.New(rand.NewSource(seed))
}
