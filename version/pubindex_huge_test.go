package version_test

import (
	"bufio"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/version"
)

// TestMapIndexHugePages checks how a published index file is brought into
// memory with version.IndexMap: mapped when small or mostly on huge pages,
// copied when large and mapped with 4 KiB pages (a file written 4 KiB at a
// time is cached in 4 KiB folios), answering as the built index either way.
func TestMapIndexHugePages(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("huge pages of a mapping are told on Linux only")
	}
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
	for _, tc := range []struct {
		name     string
		copyFrom int
		want     string
	}{
		{"small file", len(good) + 1, "(mapped)"},
		{"large file on 4 KiB pages", 1 << 20, "(copied: mapped with 0 of "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer version.SetCopyFromBytesForTest(tc.copyFrom)()
			loaded, logged := x.build(t, 0, version.IndexMap)
			if !strings.Contains(logged, "point index read from") || !strings.Contains(logged, tc.want) {
				t.Fatalf("logged %q, want %q", logged, tc.want)
			}
			sameLookups(t, x.d, built, loaded)
		})
	}
}
