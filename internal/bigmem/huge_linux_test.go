//go:build linux

package bigmem

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"
)

func TestHugeMapped(t *testing.T) {
	const size = 8 << 20
	// written 4 KiB at a time, the file is cached in 4 KiB folios, none of
	// which can be mapped as a huge page
	path := filepath.Join(t.TempDir(), "small")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 4096)
	for i := 0; i < size; i++ {
		w.WriteByte(byte(i))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	small, release, err := MapFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	anon, free := Alloc[byte](size)
	defer free()
	for i := range anon {
		anon[i] = 1
	}
	for _, tc := range []struct {
		name    string
		b       []byte
		atMost  int
		atLeast int
	}{
		{"empty", nil, 0, 0},
		{"file of small folios", small, 0, 0},
		{"part of it", small[4096 : 3<<20], 0, 0},
		{"anonymous memory", anon, size, 0},
		{"part of it", anon[1 : 1<<20], 1<<20 - 1, 0},
	} {
		got, err := HugeMapped(tc.b)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got < tc.atLeast || got > tc.atMost {
			t.Errorf("%s: HugeMapped = %d, want %d…%d", tc.name, got, tc.atLeast, tc.atMost)
		}
	}
}
