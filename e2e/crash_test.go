package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/sample"
	"github.com/gridmap/gridmap/store"
)

// crashKind is what a kill of the crash test interrupts.
type crashKind int

const (
	killImportCLI     crashKind = iota // gridmap import, mid-way
	killServeImport                    // gridmap serve, during POST /api/v1/imports
	killServeActivate                  // gridmap serve, during POST /api/v1/versions/{id}/activate
	killFirstImport                    // gridmap import into an empty data directory, mid-way
	crashKinds
)

func (k crashKind) String() string {
	return [...]string{"gridmap import", "serve during an HTTP import", "serve during an activation", "first gridmap import"}[k]
}

// crashLayers are the layers of the sample the crash test imports, coarse
// to fine: small, so that a cycle takes a fraction of a second.
var crashLayers = []string{"county", "towns"}

// crashSets name the two inputs of the crash test's imports: the sample's
// layers as they are (A), and with every town's name marked (B), so that a
// lookup shows which one is served.
var crashSets = []string{"A", "B"}

// The known point of the lookups (WGS84 degrees), its town, and how set B
// marks a town's name.
const (
	crashLon, crashLat = 120.2596645, 31.8338531
	crashTown          = "320281004"
	crashMark          = " (B)"
)

// TestCrashKills kills `gridmap import` (into a data directory a server is
// serving, and into an empty one), and `gridmap serve` during HTTP imports
// and during activations, with SIGKILL at random moments (seeded; the seed is
// logged and GRIDMAP_CRASH_SEED repeats it): 18 kills of each kind in the
// middle of the operation, 3 with -short. After each kill a new server starts
// on the data directory and must serve a version that is whole (checksums
// verify, layers as published, a lookup answers from it) and is the active
// one before the kill or the one being published or activated, nothing
// else; what the dead process left (temporary versions and pointers,
// uploads) must be gone, and `gridmap versions` must mark that version
// active.
func TestCrashKills(t *testing.T) {
	perKind := 18
	if testing.Short() {
		perKind = 3
	}
	r := newCrashRig(t, crashSeed(t))
	r.calibrate()
	queue := make([]crashKind, 0, perKind*int(crashKinds))
	for k := range crashKinds {
		for range perKind {
			queue = append(queue, k)
		}
	}
	r.rng.Shuffle(len(queue), func(i, j int) { queue[i], queue[j] = queue[j], queue[i] })
	// a kill that comes after the operation ended is not counted; the
	// operation is tried again, up to twice as many times again
	for n, retries := 0, 2*len(queue); n < len(queue); n++ {
		if !r.cycle(n, queue[n]) && retries > 0 {
			queue, retries = append(queue, queue[n]), retries-1
		}
		if t.Failed() {
			return
		}
	}
	r.report(perKind)
}

// crashSeed returns the seed of a crash test's random moments: the
// time, or GRIDMAP_CRASH_SEED to repeat a run.
func crashSeed(t *testing.T) int64 {
	seed := time.Now().UnixNano()
	if s := os.Getenv("GRIDMAP_CRASH_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseInt(s, 10, 64); err != nil {
			t.Fatalf("GRIDMAP_CRASH_SEED: %v", err)
		}
	}
	t.Logf("seed %d (GRIDMAP_CRASH_SEED=%d repeats it)", seed, seed)
	return seed
}

// crashRig is the state of a crash test: the binary, the data directory,
// the server running on it, and what the kills hit.
type crashRig struct {
	t         *testing.T
	bin, data string
	files     map[string]map[string]string // set → layer → GeoJSON file
	rng       *rand.Rand
	srv       *serveProc
	est       map[string]time.Duration    // how long an uninterrupted operation took, by kind and set
	layers    []store.LayerInfo           // what every version holds
	settled   map[string]string           // version id → set
	phases    [crashKinds]map[string]int  // kills by the phase they hit
	late      [crashKinds]int             // kills after the operation ended
	delays    [crashKinds][]time.Duration // delays of the counted kills
}

func newCrashRig(t *testing.T, seed int64) *crashRig {
	r := &crashRig{
		t: t, bin: buildGridmap(t), data: t.TempDir(), rng: rand.New(rand.NewSource(seed)),
		est: map[string]time.Duration{}, settled: map[string]string{},
	}
	r.files = crashFiles(t)
	for k := range r.phases {
		r.phases[k] = map[string]int{}
	}
	t.Cleanup(func() {
		if r.srv != nil {
			r.srv.kill()
			if t.Failed() {
				t.Logf("last server's log:\n%s", r.srv.log)
			}
		}
	})
	return r
}

// crashFiles writes the files of the crash sets: the sample's, and a copy of
// its towns with every name marked.
func crashFiles(t *testing.T) map[string]map[string]string {
	dir := t.TempDir()
	paths, err := sample.Extract(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := map[string]string{}
	for i, l := range sample.Layers {
		a[l] = paths[i]
	}
	b := maps.Clone(a)
	b["towns"] = filepath.Join(t.TempDir(), "towns.geojson")
	if err := markNames(a["towns"], b["towns"]); err != nil {
		t.Fatal(err)
	}
	return map[string]map[string]string{"A": a, "B": b}
}

// markNames copies the GeoJSON feature collection src to dst with
// crashMark added to every feature's name.
func markNames(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	var fc struct {
		Type     string           `json:"type"`
		Features []map[string]any `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	for _, f := range fc.Features {
		props := f["properties"].(map[string]any)
		props["name"] = fmt.Sprint(props["name"]) + crashMark
	}
	if b, err = json.Marshal(fc); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// calibrate times each operation uninterrupted on each set (the kills are
// drawn within those times), leaving versions of both sets in the store and
// a server running.
func (r *crashRig) calibrate() {
	t := r.t
	for _, set := range crashSets {
		start := time.Now()
		args := importArgs(r.data, r.files[set], crashLayers, "calibrate-"+set)
		if out, err := exec.Command(r.bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("gridmap import: %v\n%s", err, out)
		}
		r.est[key(killImportCLI, set)] = time.Since(start)
	}
	for _, set := range crashSets {
		start := time.Now()
		args := importArgs(t.TempDir(), r.files[set], crashLayers, "calibrate-"+set)
		if out, err := exec.Command(r.bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("gridmap import: %v\n%s", err, out)
		}
		r.est[key(killFirstImport, set)] = time.Since(start)
	}
	r.srv = startServe(t, r.bin, r.data)
	for _, set := range crashSets {
		ct, body, err := importBody(r.files[set], crashLayers, "calibrate-"+set)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if code, err := r.srv.post("/api/v1/imports", ct, body); err != nil || code != 201 {
			t.Fatalf("POST /api/v1/imports: %d %v\n%s", code, err, r.srv.log)
		}
		r.est[key(killServeImport, set)] = time.Since(start)
	}
	for i, set := range crashSets { // v1 is of set A, v2 of set B
		start := time.Now()
		if code, err := r.srv.post(fmt.Sprintf("/api/v1/versions/v%d/activate", i+1), "", nil); err != nil || code != 200 {
			t.Fatalf("activate: %d %v\n%s", code, err, r.srv.log)
		}
		r.est[key(killServeActivate, set)] = time.Since(start)
	}
	r.learn()
	r.check([]string{"v2"}, nil)
	t.Logf("uninterrupted: %v", r.est)
}

func key(k crashKind, set string) string { return fmt.Sprintf("%s/%s", k, set) }

// learn records the set of every version in the store (from its manifest's
// who, "…-SET") and the layers of the first.
func (r *crashRig) learn() {
	st, err := store.OpenDir(r.data)
	if err != nil {
		r.t.Fatal(err)
	}
	list, err := st.List(r.t.Context())
	if err != nil {
		r.t.Fatal(err)
	}
	for _, m := range list {
		r.settled[m.ID] = m.Who[strings.LastIndex(m.Who, "-")+1:]
		if r.layers == nil {
			r.layers = m.Layers
		}
	}
}

// check checks the data directory and the server restarted on it: the
// active version is one of allowed, it and the versions of fresh are
// whole, it is served, and gridmap versions marks it.
func (r *crashRig) check(allowed, fresh []string) string {
	checkSwept(r.t, r.data)
	active := checkStore(r.t, r.data, allowed, fresh, r.layers)
	r.learn()
	checkServed(r.t, r.srv, active, crashLayers, crashTown, r.settled[active] == "B")
	checkVersionsCLI(r.t, r.bin, r.data, active)
	return active
}

// cycle runs kill n of kind k and checks the restart after it. It reports
// whether the kill came in the middle of the operation.
func (r *crashRig) cycle(n int, k crashKind) bool {
	t := r.t
	set := crashSets[r.rng.Intn(len(crashSets))]
	before := readDisk(t, r.data)
	allowed := []string{before.active}
	if k == killServeActivate {
		target := r.target(before.active)
		allowed, set = append(allowed, target), r.settled[target]
	}
	est := r.est[key(k, set)]
	delay := r.delay(est)
	if k == killFirstImport {
		killed := r.firstImport(n, set, delay, est)
		r.adapt(k, set, killed)
		return killed
	}
	killed := r.interrupt(k, set, fmt.Sprintf("crash-%d-%s", n, set), allowed[len(allowed)-1], delay)
	r.adapt(k, set, killed)
	after := readDisk(t, r.data)
	added := after.added(before)
	if len(added) > 1 || k == killServeActivate && len(added) > 0 {
		t.Fatalf("kill %d (%s): versions %v appeared", n, k, added)
	}
	phase := r.count(k, after.phase(before), killed, delay)
	r.srv = startServe(t, r.bin, r.data)
	active := r.check(append(allowed, added...), added)
	t.Logf("kill %2d: %-28s set %s after %4d ms of ~%4d: %-32s active %s → %s", n, k, set, delay.Milliseconds(), est.Milliseconds(), phase, before.active, active)
	return killed
}

// report logs, for each kind, the kills counted, how they spread over the
// phases and the delays, and the kills that came too late to count.
func (r *crashRig) report(perKind int) {
	total := 0
	for k := range crashKinds {
		n := len(r.delays[k])
		total += n
		d := append(slices.Sorted(slices.Values(r.delays[k])), 0)
		r.t.Logf("%s: %d kills (%d more came after the answer), delays %v..%v: %v", k, n, r.late[k], d[0].Round(time.Millisecond), d[max(n-1, 0)].Round(time.Millisecond), r.phases[k])
		if n < perKind {
			r.t.Errorf("%s: %d kills in the middle of the operation, want %d", k, n, perKind)
		}
	}
	r.t.Logf("%d kills in the middle of an operation, each followed by a clean restart", total)
}
