package importer

import (
	"context"
	"testing"
)

// TestProgress: an import reports every stage in order, percent never goes
// back, and the last report is done at 100 %.
func TestProgress(t *testing.T) {
	var got []Progress
	_, _, err := Import(context.Background(), setSources(t, "jiangyin", jiangyinLayers...), nil, Options{Progress: func(p Progress) { got = append(got, p) }})
	if err != nil {
		t.Fatal(err)
	}
	order := map[string]int{StageRead: 0, StageGeometry: 1, StageTopology: 2, StageDone: 3}
	seen := map[string]bool{}
	for i, p := range got {
		seen[p.Stage] = true
		if i > 0 && (p.Percent < got[i-1].Percent || order[p.Stage] < order[got[i-1].Stage]) {
			t.Fatalf("report %d %+v after %+v", i, p, got[i-1])
		}
	}
	if len(seen) != 4 || got[len(got)-1].Stage != StageDone || got[len(got)-1].Percent != 100 {
		t.Errorf("stages %v, last %+v", seen, got[len(got)-1])
	}
	if len(got) > 400 {
		t.Errorf("%d reports: more than about one per percent", len(got))
	}
}
