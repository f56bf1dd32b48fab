package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/store/pgstore"
	"github.com/gridmap/gridmap/store/storetest"
	"github.com/gridmap/gridmap/version"
)

// TestMigrateCopyRoundTrip moves a data directory of three versions (the
// Jiangyin sample, a small one with a partial layer, made active, and a
// published index file) into PostgreSQL and back into a new directory:
// every manifest, dataset and published file is the same, the same version
// is active, gridmap versions lists the same, and a copy run again checks
// and skips.
func TestMigrateCopyRoundTrip(t *testing.T) {
	ctx := context.Background()
	pg := pgtest.NewDB(t)
	src, back := t.TempDir(), t.TempDir()
	files, err := sampleFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errs := gm(t, "", append([]string{"import", "--data", src, "--who", "tester", "--attribution", "© test"}, files...)...); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	dir, err := store.OpenDir(src)
	if err != nil {
		t.Fatal(err)
	}
	index := bytes.Repeat([]byte("published index "), 100_000) // two chunks
	if err := dir.WriteFile("v1", version.IndexFile, func(w io.Writer) error { _, err := w.Write(index); return err }); err != nil {
		t.Fatal(err)
	}
	if _, err := dir.Publish(ctx, storetest.Dataset(t, "partial"), store.Meta{Who: "storetest", Note: "partial layer"}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := dir.Publish(ctx, storetest.Dataset(t, "third"), store.Meta{Who: "storetest"}, false); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]string{{src, pg}, {src, pg}, {pg, back}} {
		code, out, errs := gm(t, "", "migrate", "copy", "--from", c[0], "--to", c[1], "--versions-only")
		if code != 0 {
			t.Fatalf("migrate copy: exit %d\n%s%s", code, out, errs)
		}
		t.Logf("%s", out)
	}
	p, err := pgstore.Open(ctx, pg, pgstore.Options{Cache: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	storetest.SameStores(t, dir, p)
	to, err := store.OpenDir(back)
	if err != nil {
		t.Fatal(err)
	}
	storetest.SameStores(t, dir, to)
	path, err := to.FilePath("v1", version.IndexFile)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, index) {
		t.Errorf("index.bin after the round trip: %d bytes, %v; want %d", len(b), err, len(index))
	}
	_, want, _ := gm(t, "", "versions", "--data", src)
	for _, args := range [][]string{{"--data", back}, {"--data", t.TempDir(), "--store", pg}} {
		if _, got, errs := gm(t, "", append([]string{"versions"}, args...)...); got != want {
			t.Errorf("versions %s:\n%s%s\nwant\n%s", args[0], got, errs, want)
		}
	}
	if !strings.Contains(want, "v2") || !strings.Contains(want, "partial") {
		t.Errorf("versions of the source:\n%s", want)
	}
	// the source has no incident store: the incident part has nothing to do
	code, out, errs := gm(t, "", "migrate", "copy", "--from", src, "--to", pg)
	if code != 0 || !strings.Contains(out, "no incidents in "+src) {
		t.Errorf("migrate copy with incidents: exit %d\n%s%s", code, out, errs)
	}
}
