package synth_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/synth"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// source reads the five Jiangyin layers: the shared set's, or the bundled
// sample's (the same files) when the shared data is absent.
func source(t *testing.T) *synth.Source {
	t.Helper()
	dir := gridtest.Jiangyin(t)
	s, err := synth.ReadSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestWriteTwoCopies writes two copies of Jiangyin and checks them as files:
// feature counts, unique codes, parents that resolve in the parent layer, and
// copies whose bounding boxes do not overlap.
func TestWriteTwoCopies(t *testing.T) {
	s := source(t)
	dir := t.TempDir()
	const n = 2
	st, err := s.Write(context.Background(), dir, n, 0)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]map[string]bool{} // layer → codes
	bounds := map[string]orb.Bound{}      // copy prefix → bound of its grids
	for li, name := range synth.LayerNames {
		b, err := os.ReadFile(filepath.Join(dir, name+".geojson"))
		if err != nil {
			t.Fatal(err)
		}
		fc, err := geojson.UnmarshalFeatureCollection(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := n * len(s.Layers[li].Features)
		if len(fc.Features) != want || st.Features[li] != want {
			t.Errorf("%s: %d features (stats %d), want %d", name, len(fc.Features), st.Features[li], want)
		}
		codes[name] = map[string]bool{}
		for _, f := range fc.Features {
			code, _ := f.Properties["code"].(string)
			if codes[name][code] {
				t.Errorf("%s: duplicate code %s", name, code)
			}
			codes[name][code] = true
			if len(code) < 6 {
				t.Fatalf("%s: short code %q", name, code)
			}
			if li > 0 {
				parent, _ := f.Properties["parent"].(string)
				if !codes[synth.LayerNames[li-1]][parent] {
					t.Errorf("%s: %s: parent %q not in %s", name, code, parent, synth.LayerNames[li-1])
				}
				if parent[:6] != code[:6] {
					t.Errorf("%s: %s: parent %s of another copy", name, code, parent)
				}
			}
			p := code[:6]
			if bb, ok := bounds[p]; ok {
				bounds[p] = bb.Union(f.Geometry.Bound())
			} else {
				bounds[p] = f.Geometry.Bound()
			}
		}
	}
	if len(bounds) != n {
		t.Fatalf("%d copy prefixes, want %d: %v", len(bounds), n, bounds)
	}
	b1, b2 := bounds[synth.CopyPrefix(1)], bounds[synth.CopyPrefix(2)]
	if b1.Intersects(b2) {
		t.Errorf("copies overlap: %v and %v", b1, b2)
	}
}

// TestDatasetMatchesLattice checks the in-memory province: counts, links
// and the offsets of every copy.
func TestDatasetMatchesLattice(t *testing.T) {
	s := source(t)
	const n = 5
	d, err := s.Dataset(n, 0)
	if err != nil {
		t.Fatal(err)
	}
	lat := s.NewLattice(n, 0)
	for li, l := range d.Layers {
		_ = li
		var src *synth.Layer
		for i := range s.Layers {
			if s.Layers[i].Name == l.Name {
				src = &s.Layers[i]
			}
		}
		if got, want := len(l.Grids), n*len(src.Features); got != want {
			t.Errorf("%s: %d grids, want %d", l.Name, got, want)
		}
	}
	for k := 1; k <= n; k++ {
		dx, dy := lat.Offset(k)
		for j := k + 1; j <= n; j++ {
			ex, ey := lat.Offset(j)
			a := s.Bound
			a.Min[0], a.Max[0], a.Min[1], a.Max[1] = a.Min[0]+dx, a.Max[0]+dx, a.Min[1]+dy, a.Max[1]+dy
			b := s.Bound
			b.Min[0], b.Max[0], b.Min[1], b.Max[1] = b.Min[0]+ex, b.Max[0]+ex, b.Min[1]+ey, b.Max[1]+ey
			if a.Intersects(b) {
				t.Errorf("copies %d and %d overlap", k, j)
			}
		}
	}
}
