package importer

import (
	"context"
	"errors"
	"testing"

	"github.com/paulmach/orb"
)

// TestFix imports a child layer whose second grid has its shared vertices
// 2–3 cm off its neighbour's, a repeated position and an unclosed ring.
// Without Fix it is refused; with Fix it is repaired to share the
// neighbour's vertices exactly, and every repair is reported as "fixed" with
// feature, code and place. A snap distance below the offsets leaves the
// vertices alone (and reports no snap).
func TestFix(t *testing.T) {
	srcs := []Source{
		{Layer: "parents", Path: "testdata/fix_parent.geojson"},
		{Layer: "children", Path: "testdata/fix_children.geojson"},
	}
	t.Run("without fix", func(t *testing.T) {
		_, rep, err := Import(context.Background(), srcs, nil, Options{})
		if !errors.Is(err, ErrRejected) || !rep.Has(KindRingUnclosed) {
			t.Fatalf("want rejection for the unclosed ring, got %v\n%s", err, rep.Text())
		}
	})
	t.Run("fix", func(t *testing.T) {
		ds, rep, err := Import(context.Background(), srcs, nil, Options{Fix: true})
		if err != nil {
			t.Fatalf("%v\n%s", err, rep.Text())
		}
		b := ds.Layer("children").Grid("B").Geom[0][0]
		want := orb.Ring{{120.001, 31.0}, {120.002, 31.0}, {120.002, 31.001}, {120.001, 31.001}, {120.001, 31.0}}
		if !sameRing(b, want) {
			t.Errorf("B = %v, want %v (any start, any direction)", b, want)
		}
		kinds := map[string]Problem{}
		for _, p := range rep.Problems {
			if p.Severity != SeverityFixed {
				t.Errorf("unexpected %s %s: %s", p.Severity, p.Kind, p.Message)
				continue
			}
			if p.Code != "B" || p.Feature != 2 || p.Location == nil || p.File == "" {
				t.Errorf("fix not pinned to feature #2 code B with a place: %+v", p)
			}
			kinds[p.Kind] = p
		}
		for _, k := range []string{KindRingUnclosed, KindRepeatedPoint, KindVertexSnapped} {
			if _, ok := kinds[k]; !ok {
				t.Errorf("no fixed %s reported\n%s", k, rep.Text())
			}
		}
		if p := kinds[KindVertexSnapped]; p.Message != "" && !contains(p.Message, "moved 2 vertex") {
			t.Errorf("snap message %q does not count 2 vertices", p.Message)
		}
		if rep.Errors() != 0 {
			t.Errorf("errors left: %d", rep.Errors())
		}
	})
	t.Run("snap below the offsets", func(t *testing.T) {
		_, rep, _ := Import(context.Background(), srcs, nil, Options{Fix: true, Snap: 0.005})
		if rep.Has(KindVertexSnapped) {
			t.Errorf("snapped with a 5 mm tolerance\n%s", rep.Text())
		}
	})
}

// TestFixJiangyinUnchanged: Fix on clean data changes nothing and reports
// nothing.
func TestFixJiangyinUnchanged(t *testing.T) {
	_, rep, err := Import(context.Background(), setSources(t, "jiangyin", jiangyinLayers...), nil, Options{Fix: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 0 {
		t.Errorf("Fix on clean data reported %d problem(s)\n%s", len(rep.Problems), rep.Text())
	}
}

func sameRing(a, b orb.Ring) bool {
	if len(a) != len(b) || len(a) < 2 {
		return false
	}
	n := len(a) - 1
	for start := 0; start < n; start++ {
		for _, dir := range []int{1, -1} {
			ok := true
			for i := 0; i < n && ok; i++ {
				j := ((start+dir*i)%n + n) % n
				ok = a[j] == b[i]
			}
			if ok {
				return true
			}
		}
	}
	return false
}

func contains(s, sub string) bool { return len(sub) == 0 || indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
