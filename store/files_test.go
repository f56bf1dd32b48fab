package store_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/store"
)

func init() { roles["write-index-half"] = writeIndexHalf }

// indexPayload is what the tests write as an index file: WriteIndex does
// not read what it writes.
var indexPayload = bytes.Repeat([]byte("published index "), 1<<16)

// writeIndexHalf writes half of an index file of version arg, prints
// "half" and waits to be killed.
func writeIndexHalf(dir, id string) error {
	s, err := store.OpenDir(dir)
	if err != nil {
		return err
	}
	return s.WriteFile(id, "index.bin", func(w io.Writer) error {
		if _, err := w.Write(indexPayload[:len(indexPayload)/2]); err != nil {
			return err
		}
		if f, ok := w.(interface{ Flush() error }); ok {
			f.Flush()
		}
		fmt.Println("half")
		for {
			time.Sleep(time.Hour)
		}
	})
}

// indexTemps returns the temporary index files in version id's directory.
func indexTemps(t *testing.T, dir, id string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, "versions", id))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".tmp-index.bin-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestWriteIndexKilled kills a process in the middle of writing an index
// file: no index.bin appears from it, a write meanwhile leaves its
// temporary file alone, and the next write after the kill removes it and
// puts the whole file in place. A failed write leaves nothing, and an unknown version is
// ErrNotFound.
func TestWriteIndexKilled(t *testing.T) {
	dir := t.TempDir()
	s, err := store.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Publish(context.Background(), sample(t, "indexed"), store.Meta{}, true)
	if err != nil {
		t.Fatal(err)
	}
	path, err := s.FilePath(m.ID, "index.bin")
	if err != nil {
		t.Fatal(err)
	}
	cmd, out := child(t, "write-index-half", dir, m.ID)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "half\n" {
		t.Fatalf("child said %q, %v", line, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("index.bin during the write: %v", err)
	}
	if tmps := indexTemps(t, dir, m.ID); len(tmps) != 1 {
		t.Fatalf("temporary files during the write: %v", tmps)
	}
	// a write meanwhile leaves the live writer's file alone
	if err := s.WriteFile(m.ID, "index.bin", func(w io.Writer) error { _, err := w.Write(indexPayload[:100]); return err }); err != nil {
		t.Fatal(err)
	}
	if tmps := indexTemps(t, dir, m.ID); len(tmps) != 1 {
		t.Fatalf("temporary files after a write beside a live writer: %v", tmps)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, indexPayload[:100]) {
		t.Fatalf("index.bin after the kill: %d bytes, %v", len(b), err)
	}
	if err := s.WriteFile(m.ID, "index.bin", func(w io.Writer) error { _, err := w.Write(indexPayload); return err }); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, indexPayload) {
		t.Fatalf("index.bin after a whole write: %d bytes, %v", len(b), err)
	}
	if tmps := indexTemps(t, dir, m.ID); len(tmps) != 0 {
		t.Fatalf("temporary files after the write: %v", tmps)
	}
	boom := errors.New("boom")
	if err := s.WriteFile(m.ID, "index.bin", func(w io.Writer) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("failed write: %v", err)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, indexPayload) || len(indexTemps(t, dir, m.ID)) != 0 {
		t.Fatalf("a failed write changed the file or left a temporary one: %d bytes, %v", len(b), err)
	}
	if err := s.WriteFile("v99", "index.bin", func(w io.Writer) error { return nil }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown version: %v", err)
	}
	// the version itself still verifies: index.bin is not one of its sums
	if err := s.Verify(context.Background(), m.ID); err != nil {
		t.Fatal(err)
	}
}
