package replicas

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gridmap/gridmap/store"
)

// TestReplicas runs three replicas of one PostgreSQL store through an
// import, kills during imports and a database restart, under a load of
// lookups that must never fail (see the package doc).
func TestReplicas(t *testing.T) {
	r := newRig(t, 3)
	layers := r.layers(t, r.active(t))
	l := r.startLoad()
	var tm timing
	t.Run("import reaches all", func(t *testing.T) {
		_, tm = r.importReachesAll(t, l, r.reps[0])
	})
	if t.Failed() {
		return
	}
	t.Run("replica killed during import", func(t *testing.T) {
		r.killDuringImports(t, l, layers, tm)
	})
	if t.Failed() {
		return
	}
	t.Run("database restarted under load", func(t *testing.T) {
		r.restartDatabase(t, l)
	})
	l.end()
	t.Logf("%d lookups answered, %d failed", l.mark().n, l.mark().failures)
}

// timing is how long the phases of an import took on the replica that ran
// it, from its publish stage: until the version was stored (its publish
// transaction committed), and until the answer (the version built, made
// active and served).
type timing struct{ stored, answered time.Duration }

// importReachesAll imports the next set on rep and checks that
// every replica answers the new version: each once it was committed
// (notified), none back to an older one, no lookup failing. It logs the
// delay from the commit to each replica's first answer of it and returns
// the version and the import's timing.
func (r *rig) importReachesAll(t *testing.T, l *load, rep *replica) (string, timing) {
	t.Helper()
	m := l.mark()
	next := r.nextID(t)
	commits := r.listen(t)
	im, err := rep.startImport(r.nextSet())
	if err != nil {
		t.Fatal(err)
	}
	pub, ok := im.until("publish")
	if !ok {
		t.Fatalf("import on %s ended before publishing: %v", rep.name, <-im.err)
	}
	stored := r.watchStored(next)
	last, ok := im.until("")
	if v := last.p.Version.ID; !ok || last.p.HTTPStatus != 201 || v != next {
		t.Fatalf("import on %s: %+v %v, want 201 with version %s", rep.name, last.p, <-im.err, next)
	}
	commit := commits.wait(t, next)
	served := l.waitServed(t, next)
	var slowest time.Duration
	for _, o := range r.reps {
		d := served[o.name].Sub(commit)
		slowest = max(slowest, d)
		t.Logf("%s first answered %s %s after its commit", o.name, next, ms(d))
	}
	tm := timing{stored: (<-stored).Sub(pub.at), answered: last.at.Sub(pub.at)}
	t.Logf("import on %s: %s stored %s after the publish stage began, answered after %s; every replica answered it within %s of the activation's commit",
		rep.name, next, ms(tm.stored), ms(tm.answered), ms(slowest))
	r.waitAll(t, "ready with "+next, func(a readyAnswer) bool { return a.Version == next && a.Store == "ok" && a.Writes })
	if got := r.active(t); got != next {
		t.Errorf("the store's active version is %s after the import of %s", got, next)
	}
	t.Logf("%d lookups during the import", l.check(t, m))
	return next, tm
}

// nextID is the id the next version published will take: the one after
// the newest (active or not).
func (r *rig) nextID(t *testing.T) string {
	t.Helper()
	list, err := r.st.List(context.Background())
	if err != nil || len(list) == 0 {
		t.Fatalf("list versions: %v (%d)", err, len(list))
	}
	return fmt.Sprintf("v%d", versionNum(list[len(list)-1].ID)+1)
}

// ms formats d in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000) }

// watchStored polls the store for version id and sends when it was first
// there (the commit of its publish transaction, within 10 ms).
func (r *rig) watchStored(id string) <-chan time.Time {
	ch := make(chan time.Time, 1)
	go func() {
		deadline := time.Now().Add(startTimeout)
		for time.Now().Before(deadline) {
			if _, err := r.st.Manifest(context.Background(), id); err == nil {
				ch <- time.Now()
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		ch <- time.Time{}
	}()
	return ch
}

// killPoints are the moments of an import at which a replica is killed,
// after its publish stage began: in fractions of the time the
// uninterrupted import took to store its version (in its publish
// transaction), and of the time from then to its answer (the build of the
// new version and its activation).
var killPoints = []struct{ stored, build float64 }{{0, 0}, {0.5, 0}, {1, 0.5}}

// killDuringImports kills a replica (each in turn) at each of killPoints of
// an import, and checks after each kill that the store holds only whole
// versions of the sample's layers, that its active version is the one
// before or, when the kill came after the activation's commit, the new
// one; that no lookup failed on the other replicas, which serve the active
// version; and that the killed one, started again, serves it too.
func (r *rig) killDuringImports(t *testing.T, l *load, layers []store.LayerInfo, tm timing) {
	late := 0
	for i, k := range killPoints {
		m := l.mark()
		before := r.active(t)
		victim := r.reps[i%len(r.reps)]
		im, err := victim.startImport(r.nextSet())
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := im.until("publish"); !ok {
			t.Fatalf("import on %s ended before its publish stage: %v", victim.name, <-im.err)
		}
		time.Sleep(time.Duration(k.stored*float64(tm.stored) + k.build*float64(tm.answered-tm.stored)))
		if !victim.kill() {
			t.Fatalf("%s died by itself during the import:\n%s", victim.name, victim.log)
		}
		for range im.lines {
		}
		after := r.active(t)
		switch {
		case after == before:
		case versionNum(after) > versionNum(before):
			late++
		default:
			t.Fatalf("kill %d: active version %s after a kill during an import over %s", i, after, before)
		}
		stored := r.checkWhole(t, before, layers)
		r.waitAll(t, "serving the active "+after, func(a readyAnswer) bool { return a.Version == after })
		r.start(t, victim)
		if a, err := victim.ready(); err != nil || a.Version != after {
			t.Errorf("kill %d: %s restarted serves %+v %v, want the active %s", i, victim.name, a, err, after)
		}
		t.Logf("kill %d of %s at publish+%.0f%% of the store's write+%.0f%% of the build: active %s → %s, versions since %v; %d lookups meanwhile",
			i, victim.name, 100*k.stored, 100*k.build, before, after, stored, l.check(t, m))
	}
	if late == len(killPoints) {
		t.Errorf("every kill came after the activation: none hit an import in the middle")
	}
}

// layers returns the layers of version id as the store lists them.
func (r *rig) layers(t *testing.T, id string) []store.LayerInfo {
	t.Helper()
	m, err := r.st.Manifest(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m.Layers
}

// checkWhole loads every version from since on and checks that it is
// whole: it loads, and its layers are those of the sample, grid for grid.
// It returns their ids.
func (r *rig) checkWhole(t *testing.T, since string, want []store.LayerInfo) []string {
	t.Helper()
	ctx := context.Background()
	list, err := r.st.List(ctx)
	if err != nil {
		t.Fatalf("list versions: %v", err)
	}
	var ids []string
	for _, m := range list {
		if versionNum(m.ID) < versionNum(since) {
			continue
		}
		ids = append(ids, m.ID)
		d, lm, err := r.st.Load(ctx, m.ID)
		if err != nil {
			t.Errorf("version %s does not load: %v", m.ID, err)
			continue
		}
		got := store.Summarise(d)
		if !slices.Equal(got, want) || !slices.Equal(lm.Layers, want) {
			t.Errorf("version %s holds %+v (manifest %+v), want the sample's %+v", m.ID, got, lm.Layers, want)
		}
	}
	return ids
}
