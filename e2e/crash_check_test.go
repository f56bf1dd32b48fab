package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/store"
)

// diskState is what a data directory holds, read without opening the store
// (an open sweeps what dead writers left).
type diskState struct {
	active   string   // ACTIVE's content, "" for none
	versions []string // finished version directories
	tmpVers  int      // versions/.tmp-*: unfinished publishes
	tmpPtrs  int      // .ACTIVE.*.tmp: unfinished activations
	uploads  int      // uploads/*: uploads of an HTTP import
}

var versionDir = regexp.MustCompile(`^v[1-9][0-9]*$`)

// readDisk reads the state of data.
func readDisk(t *testing.T, data string) diskState {
	t.Helper()
	var s diskState
	if b, err := os.ReadFile(filepath.Join(data, "ACTIVE")); err == nil {
		s.active = strings.TrimSpace(string(b))
	}
	for _, e := range readDir(t, filepath.Join(data, "versions")) {
		switch {
		case versionDir.MatchString(e):
			s.versions = append(s.versions, e)
		case strings.HasPrefix(e, ".tmp-"):
			s.tmpVers++
		}
	}
	for _, e := range readDir(t, data) {
		if strings.HasPrefix(e, ".ACTIVE.") && strings.HasSuffix(e, ".tmp") {
			s.tmpPtrs++
		}
	}
	s.uploads = len(readDir(t, filepath.Join(data, "uploads")))
	return s
}

// readDir returns the names in dir; none when it does not exist.
func readDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// added returns the versions of s that before did not hold.
func (s diskState) added(before diskState) []string {
	var out []string
	for _, id := range s.versions {
		if !slices.Contains(before.versions, id) {
			out = append(out, id)
		}
	}
	return out
}

// phase names the moment a kill hit, from what it left on disk compared
// with before.
func (s diskState) phase(before diskState) string {
	var parts []string
	switch {
	case s.tmpVers > 0:
		parts = append(parts, "version half-written")
	case s.tmpPtrs > 0:
		parts = append(parts, "pointer half-written")
	case s.active != before.active:
		parts = append(parts, "pointer moved")
	case len(s.added(before)) > 0:
		parts = append(parts, "published, not active")
	default:
		parts = append(parts, "nothing written")
	}
	if s.uploads > before.uploads {
		parts = append(parts, "upload left")
	}
	return strings.Join(parts, ", ")
}

// checkSwept fails when a restarted server left what dead writers left: an
// unfinished version, an unfinished pointer or an upload.
func checkSwept(t *testing.T, data string) {
	t.Helper()
	if s := readDisk(t, data); s.tmpVers+s.tmpPtrs+s.uploads > 0 {
		t.Errorf("left after a restart: %d temporary versions, %d temporary pointers, %d uploads", s.tmpVers, s.tmpPtrs, s.uploads)
	}
}

// checkStore opens the store in data directly and checks that its active
// version is one of allowed, intact (its checksums verify) and whole (it
// loads, and its layers are those of its manifest and want), that no listed
// version is damaged, and that the versions of fresh verify too. It returns
// the active id.
func checkStore(t *testing.T, data string, allowed, fresh []string, want []store.LayerInfo) string {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenDir(data)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	active, err := st.Active(ctx)
	if err != nil {
		t.Fatalf("active version: %v", err)
	}
	if !slices.Contains(allowed, active) {
		t.Fatalf("active version %s is none of %v (before the kill, or the one being published)", active, allowed)
	}
	if _, err := st.List(ctx); err != nil {
		t.Fatalf("list: %v", err)
	}
	for _, id := range append([]string{active}, fresh...) {
		if err := st.Verify(ctx, id); err != nil {
			t.Fatalf("verify %s: %v", id, err)
		}
	}
	d, m, err := st.Load(ctx, active)
	if err != nil {
		t.Fatalf("load active %s: %v", active, err)
	}
	got := store.Summarise(d)
	if !reflect.DeepEqual(got, m.Layers) {
		t.Fatalf("active %s holds %+v, its manifest says %+v", active, got, m.Layers)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("active %s (by %s) holds %+v, its input %+v", active, m.Who, got, want)
	}
	return active
}

// lookupAnswer is the part of a lookup answer the crash test reads.
type lookupAnswer struct {
	Version string `json:"version"`
	Chain   []struct {
		Layer, Code, Name string
	} `json:"chain"`
}

// checkServed checks that srv serves version active: /healthz names it,
// and a lookup of the known point answers from it with one grid per layer
// of layers (coarse to fine), the town being town, its name marked with
// crashMark when marked.
func checkServed(t *testing.T, srv *serveProc, active string, layers []string, town string, marked bool) {
	t.Helper()
	var health struct{ Status, Version string }
	if err := srv.getJSON("/healthz", &health); err != nil {
		t.Fatal(err)
	}
	if health.Status != "ok" || health.Version != active {
		t.Fatalf("/healthz = %+v, want ok and the active version %s", health, active)
	}
	var ans lookupAnswer
	if err := srv.getJSON(lookupPath(crashLon, crashLat), &ans); err != nil {
		t.Fatal(err)
	}
	var got []string
	ok := ans.Version == active
	for i := len(ans.Chain) - 1; i >= 0; i-- {
		g := ans.Chain[i]
		got = append(got, g.Layer)
		if g.Layer == "towns" {
			ok = ok && g.Code == town && strings.HasSuffix(g.Name, crashMark) == marked
		}
	}
	if !ok || !slices.Equal(got, layers) {
		t.Fatalf("lookup answered %+v, want version %s, layers %v, town %s (name marked: %v)", ans, active, layers, town, marked)
	}
}

// checkVersionsCLI runs `gridmap versions` on data: it must succeed and mark
// active, and only it, as active.
func checkVersionsCLI(t *testing.T, bin, data, active string) {
	t.Helper()
	out, err := exec.Command(bin, "versions", "--data", data).CombinedOutput()
	if err != nil {
		t.Fatalf("gridmap versions: %v\n%s", err, out)
	}
	var marked []string
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "* "); ok {
			marked = append(marked, strings.Fields(rest)[0])
		}
	}
	if !slices.Equal(marked, []string{active}) {
		t.Fatalf("gridmap versions marks %v as active, want %s:\n%s", marked, active, out)
	}
}
