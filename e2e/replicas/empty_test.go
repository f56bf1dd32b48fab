package replicas

import (
	"context"
	"io"
	"log"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/gridmap/gridmap/store/pgstore"
)

// TestEmptyDatabase starts two replicas together on an empty database:
// one imports the bundled sample (under the store's lock), the other
// waits for it, and both serve that one version.
func TestEmptyDatabase(t *testing.T) {
	r := &rig{t: t, dsn: pgtest.NewDB(t)}
	r.bin = gridmapBin(t, t.TempDir())
	t.Cleanup(r.stopAll)
	for _, name := range []string{"replica1", "replica2"} {
		r.reps = append(r.reps, &replica{name: name, data: t.TempDir(), addr: freeAddr(t)})
	}
	errs := make(chan error, len(r.reps))
	for _, rep := range r.reps {
		go func() { errs <- r.launch(rep) }()
	}
	for range r.reps {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	importers := 0
	for _, rep := range r.reps {
		a, err := rep.ready()
		if err != nil || a.Version != "v1" {
			t.Errorf("%s: ready %+v %v, want v1", rep.name, a, err)
		}
		if strings.Contains(rep.log.String(), "importing the bundled Jiangyin sample") {
			importers++
		}
	}
	if importers != 1 {
		t.Errorf("%d replicas imported the sample, want 1", importers)
	}
	st, err := pgstore.Open(context.Background(), r.dsn, pgstore.Options{NoMigrate: true, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if list, err := st.List(context.Background()); err != nil || len(list) != 1 {
		t.Errorf("the database holds %d versions (%v), want 1", len(list), err)
	}
}
