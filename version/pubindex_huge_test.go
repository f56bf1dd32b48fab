package version_test

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/version"
)

// TestMapIndexHugePages checks that a start's log says how a published
// index file was brought into memory: copied (version.IndexCopy), or mapped
// and how much of it on huge pages, none for a file written 4 KiB at a
// time (cached in 4 KiB folios); the index answers as the built one.
func TestMapIndexHugePages(t *testing.T) {
	x := newIndexed(t)
	built, _ := x.build(t, 0, version.IndexCopy)
	path := x.indexPath(t, 0)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// the same bytes, written afresh in 4 KiB writes
	tmp := path + ".small"
	f, err := os.Create(tmp)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 4096)
	for i := range good {
		w.WriteByte(good[i])
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	mapped := "(mapped, "
	if runtime.GOOS == "linux" {
		mapped = fmt.Sprintf("(mapped, 0 of %d MB on huge pages)", len(good)>>20)
	}
	for _, tc := range []struct {
		load version.IndexLoad
		want string
	}{
		{version.IndexCopy, "(copied)"},
		{version.IndexMap, mapped},
	} {
		loaded, logged := x.build(t, 0, tc.load)
		if !strings.Contains(logged, "point index read from") || !strings.Contains(logged, tc.want) {
			t.Fatalf("load %d: logged %q, want %q", tc.load, logged, tc.want)
		}
		sameLookups(t, x.d, built, loaded)
	}
}
