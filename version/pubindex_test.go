package version_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log"
	"os"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
)

// indexed is a store with two versions of Jiangyin, and a log of builds.
type indexed struct {
	st     *store.Dir
	d      *geo.Dataset
	ms     []version.Manifest
	logBuf bytes.Buffer
}

func newIndexed(t *testing.T) *indexed {
	t.Helper()
	st, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	x := &indexed{st: st, d: gridtest.JiangyinSet(t, "county", "towns", "villages", "grids", "microgrids")}
	x.ms = publishTwice(t, st, x.d)
	return x
}

// publishTwice publishes d in st as two versions and returns their
// manifests.
func publishTwice(t *testing.T, st *store.Dir, d *geo.Dataset) []version.Manifest {
	t.Helper()
	var ms []version.Manifest
	for i := range 2 {
		m, err := st.Publish(context.Background(), d, store.Meta{Note: string(rune('a' + i))}, true)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, version.Manifest{ID: m.ID, JSON: b})
	}
	return ms
}

// build builds the point index of version i as Build does and returns
// what it logged.
func (x *indexed) build(t *testing.T, i int, load version.IndexLoad) (*index.Index, string) {
	t.Helper()
	x.logBuf.Reset()
	s, err := version.PointIndexForTest(x.ms[i], x.d, version.BuildOptions{Index: x.st, IndexLoad: load, Log: log.New(&x.logBuf, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	return s, x.logBuf.String()
}

// indexPath returns the index file path of version i.
func (x *indexed) indexPath(t *testing.T, i int) string {
	t.Helper()
	p, err := x.st.FilePath(x.ms[i].ID, version.IndexFile)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBuildPublishesIndex checks a version's point index through its
// published file: the first build writes it, the next reads it (copied or
// mapped) and answers as the built one; a file that is missing, truncated,
// damaged in any part, of another format or of another version is
// refused with its reason in the log, the index built and the file written
// afresh.
func TestBuildPublishesIndex(t *testing.T) {
	x := newIndexed(t)
	built, logged := x.build(t, 0, version.IndexCopy)
	if !strings.Contains(logged, "building the point index: no published index file yet") || !strings.Contains(logged, "published in") {
		t.Fatalf("first build logged %q", logged)
	}
	good, err := os.ReadFile(x.indexPath(t, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, load := range []version.IndexLoad{version.IndexCopy, version.IndexMap} {
		loaded, logged := x.build(t, 0, load)
		if !strings.Contains(logged, "point index read from") {
			t.Fatalf("load %d: logged %q", load, logged)
		}
		sameLookups(t, x.d, built, loaded)
	}
	edit := func(f func([]byte) []byte) func() []byte {
		return func() []byte { return f(bytes.Clone(good)) }
	}
	cases := []struct {
		name, reason string
		file         func() []byte
	}{
		{"missing", "no published index file yet", nil},
		{"truncated", "truncated", edit(func(b []byte) []byte { return b[:len(b)/3] })},
		{"magic", "not a published index file", edit(func(b []byte) []byte { b[1] = 'X'; return b })},
		{"format", "another format", edit(func(b []byte) []byte { b[8] = 9; return b })},
		{"header", "header checksum", edit(func(b []byte) []byte { b[100] ^= 4; return b })},
		{"cells", "cells: checksum", edit(func(b []byte) []byte { b[4096+10] ^= 4; return b })},
		{"last section", "checksum of bytes", edit(func(b []byte) []byte { b[len(b)-3] ^= 4; return b })},
		{"other version", "another version", func() []byte {
			x.build(t, 1, version.IndexCopy) // writes v2's
			b, err := os.ReadFile(x.indexPath(t, 1))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := x.indexPath(t, 0)
			if c.file == nil {
				os.Remove(path)
			} else if err := os.WriteFile(path, c.file(), 0o644); err != nil {
				t.Fatal(err)
			}
			s, logged := x.build(t, 0, version.IndexMap)
			if !strings.Contains(logged, "building the point index: ") || !strings.Contains(logged, c.reason) || !strings.Contains(logged, "published in") {
				t.Fatalf("logged %q, want a build because of %q", logged, c.reason)
			}
			t.Log(strings.SplitN(logged, "\n", 2)[0])
			sameLookups(t, x.d, built, s)
			if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, good) {
				t.Fatalf("the file was not written afresh: %d bytes, %v", len(b), err)
			}
			if _, logged := x.build(t, 0, version.IndexMap); !strings.Contains(logged, "point index read from") {
				t.Fatalf("after the rewrite: logged %q", logged)
			}
		})
	}
}

// sameLookups fails t when two indexes answer a lookup of the grids'
// centres differently.
func sameLookups(t *testing.T, d *geo.Dataset, a, b *index.Index) {
	t.Helper()
	for _, l := range d.Layers {
		for i, g := range l.Grids {
			if i%7 != 0 {
				continue
			}
			c := g.Bound().Center()
			ca, cb := a.Lookup(c[0], c[1]), b.Lookup(c[0], c[1])
			if len(ca) != len(cb) {
				t.Fatalf("%v: %d grids against %d", c, len(ca), len(cb))
			}
			for k := range ca {
				if ca[k] != cb[k] {
					t.Fatalf("%v: %s against %s", c, ca[k].Code, cb[k].Code)
				}
			}
		}
	}
}
