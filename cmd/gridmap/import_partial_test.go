package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
)

// TestImportPartialFlag: --partial (comma-separated or repeated) lets a
// layer of buildings with streets between them in; versions and diff say
// which layers are partial; a name that is no layer is a clear error.
func TestImportPartialFlag(t *testing.T) {
	data, dir := t.TempDir(), t.TempDir()
	var files []string
	for layer, text := range gridtest.Buildings() {
		p := filepath.Join(dir, layer+".geojson")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, layer+"="+p)
	}
	imp := func(flags ...string) (int, string, string) {
		return gm(t, "", append(append([]string{"import", "--data", data}, flags...), files...)...)
	}
	if code, _, errs := imp(); code != 1 || !strings.Contains(errs, "gap of") {
		t.Fatalf("without --partial: exit %d, want 1 with gaps\n%s", code, errs)
	}
	if code, _, errs := imp("--partial", "compounds"); code == 0 || !strings.Contains(errs, `layer "compounds" is declared partial but is no layer`) {
		t.Fatalf("--partial compounds: exit %d\n%s", code, errs)
	}
	code, out, errs := imp("--partial", "buildings")
	if code != 0 || !strings.Contains(out, "parent layer grids (partial: need not tile grids)") || !strings.Contains(errs, "layer buildings ← grids: 3 grids, 15 vertices (partial: need not tile grids)") {
		t.Fatalf("--partial buildings: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := imp("--partial", "grids,buildings"); code != 0 {
		t.Fatalf("--partial grids,buildings: exit %d\n%s", code, errs)
	}
	if code, _, errs := imp("--partial", "grids", "--partial", "buildings"); code != 0 {
		t.Fatalf("--partial grids --partial buildings: exit %d\n%s", code, errs)
	}
	_, out, _ = gm(t, "", "versions", "--data", data)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "3 layers, 6 grids, buildings (partial: need not tile grids)  ") ||
		!strings.Contains(lines[2], "grids (partial: need not tile county), buildings (partial: need not tile grids)") {
		t.Errorf("versions:\n%s", out)
	}
	if code, out, _ := gm(t, "", "diff", "--data", data, "v1", "v2"); code != 0 || !strings.Contains(out, "layer grids: now partial") {
		t.Errorf("diff v1 v2: exit %d\n%s", code, out)
	}
}
