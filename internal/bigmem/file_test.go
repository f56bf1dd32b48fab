package bigmem

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unsafe"
)

// TestMapAndReadFile checks that both ways of bringing a file into memory
// give its bytes, 8-byte aligned (a mapping on a huge-page boundary), for
// empty, small and multi-huge-page files; and that a missing file is an
// error.
func TestMapAndReadFile(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 5000, 3<<20 + 17} {
		want := make([]byte, n)
		for i := range want {
			want[i] = byte(i * 7)
		}
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		for name, read := range map[string]func(string) ([]byte, func(), error){"map": MapFile, "read": ReadFile} {
			got, release, err := read(path)
			if err != nil {
				t.Fatalf("%s %d bytes: %v", name, n, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s %d bytes: content differs", name, n)
			}
			if n > 0 && uintptr(unsafe.Pointer(&got[0]))%8 != 0 {
				t.Fatalf("%s %d bytes: unaligned", name, n)
			}
			if name == "map" && n > 0 && hugeThresholdForTest > 0 && uintptr(unsafe.Pointer(&got[0]))%hugePageForTest != 0 {
				t.Errorf("map %d bytes: not on a huge page", n)
			}
			release()
		}
	}
	for name, read := range map[string]func(string) ([]byte, func(), error){"map": MapFile, "read": ReadFile} {
		if _, _, err := read(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
			t.Errorf("%s missing file: %v", name, err)
		}
	}
}
