package storetest

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"testing"

	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
)

// payload is a published file's content of n bytes, told apart by seed.
func payload(seed byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*7) + byte(i>>11)
	}
	return b
}

func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error { _, err := w.Write(b); return err }
}

// files returns s as version.Files, with a version v1 published.
func files(t *testing.T, s store.Store) version.Files {
	t.Helper()
	f, ok := s.(version.Files)
	if !ok {
		t.Fatalf("%T does not implement version.Files", s)
	}
	if _, err := s.Publish(ctx, Dataset(t, "files"), meta(""), true); err != nil {
		t.Fatal(err)
	}
	return f
}

// read returns the content of the published file name of v1 through f.
func read(t *testing.T, f version.Files, name string) ([]byte, error) {
	t.Helper()
	p, err := f.FilePath("v1", name)
	if err != nil {
		t.Fatalf("FilePath(v1, %s): %v", name, err)
	}
	return os.ReadFile(p)
}

func testFiles(t *testing.T, open func() store.Store) {
	f := files(t, open())
	if err := f.WriteFile("v9", version.IndexFile, writeBytes([]byte("x"))); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("WriteFile of a missing version = %v, want ErrNotFound", err)
	}
	for _, name := range []string{"", "../x", ".hidden", "a/b", "manifest.json", "layers.bin", "SHA256SUMS", "Index.bin"} {
		if _, err := f.FilePath("v1", name); !errors.Is(err, store.ErrBadID) {
			t.Errorf("FilePath(v1, %q) = %v, want ErrBadID", name, err)
		}
	}
	if _, err := f.FilePath("1", version.IndexFile); !errors.Is(err, store.ErrBadID) {
		t.Errorf("FilePath of a bad id = %v, want ErrBadID", err)
	}
	if _, err := read(t, f, version.IndexFile); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("before any write, the index file: %v, want it absent", err)
	}
	for _, c := range []struct {
		name string
		b    []byte
	}{
		{version.IndexFile, payload(1, 2_500_000)}, // several chunks in a database
		{version.TilesFile, payload(2, 10)},
		{version.IndexFile, payload(3, 1000)}, // replaced by a smaller one
		{version.TilesFile, nil},              // an empty file is a file
	} {
		if err := f.WriteFile("v1", c.name, writeBytes(c.b)); err != nil {
			t.Fatalf("WriteFile(%s, %d bytes): %v", c.name, len(c.b), err)
		}
		got, err := read(t, f, c.name)
		if err != nil || !bytes.Equal(got, c.b) {
			t.Errorf("%s after writing %d bytes: %d bytes, %v", c.name, len(c.b), len(got), err)
		}
	}
}

// testFilesReplace checks that a replaced file is whole, old or new: a
// failed write leaves the old one, and a reader that opened the old one
// reads it whole after the replacement.
func testFilesReplace(t *testing.T, open func() store.Store) {
	f := files(t, open())
	old, next := payload(4, 300_000), payload(5, 200_000)
	if err := f.WriteFile("v1", version.IndexFile, writeBytes(old)); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("the writer failed")
	err := f.WriteFile("v1", version.IndexFile, func(w io.Writer) error {
		w.Write(next[:1000])
		return failed
	})
	if !errors.Is(err, failed) {
		t.Errorf("WriteFile of a failing writer = %v, want its error", err)
	}
	if got, err := read(t, f, version.IndexFile); err != nil || !bytes.Equal(got, old) {
		t.Errorf("after a failed write: %d bytes, %v; want the old %d", len(got), err, len(old))
	}
	p, err := f.FilePath("v1", version.IndexFile)
	if err != nil {
		t.Fatal(err)
	}
	reader, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	if err := f.WriteFile("v1", version.IndexFile, writeBytes(next)); err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(reader); err != nil || !bytes.Equal(got, old) {
		t.Errorf("a reader of the old file read %d bytes, %v; want the old %d whole", len(got), err, len(old))
	}
	if got, err := read(t, f, version.IndexFile); err != nil || !bytes.Equal(got, next) {
		t.Errorf("after the replacement: %d bytes, %v; want the new %d", len(got), err, len(next))
	}
}

// testFilesOtherHandle writes through one handle and reads through
// another (another replica, with its own local copies).
func testFilesOtherHandle(t *testing.T, open func() store.Store) {
	f := files(t, open())
	g := open().(version.Files)
	if _, err := read(t, g, version.IndexFile); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("another handle, before any write: %v, want absent", err)
	}
	b := payload(6, 1_200_000)
	if err := f.WriteFile("v1", version.IndexFile, writeBytes(b)); err != nil {
		t.Fatal(err)
	}
	if got, err := read(t, g, version.IndexFile); err != nil || !bytes.Equal(got, b) {
		t.Errorf("another handle reads %d bytes, %v; want %d", len(got), err, len(b))
	}
	b2 := payload(7, 100)
	if err := g.WriteFile("v1", version.IndexFile, writeBytes(b2)); err != nil {
		t.Fatal(err)
	}
	if got, err := read(t, f, version.IndexFile); err != nil || !bytes.Equal(got, b2) {
		t.Errorf("the first handle reads %d bytes, %v after the other wrote; want %d", len(got), err, len(b2))
	}
}
