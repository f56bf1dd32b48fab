package replicas

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// loadPoints are the points the load looks up (lon, lat, WGS84 degrees):
// in towns across the Jiangyin sample.
var loadPoints = [][2]float64{
	{120.285, 31.905}, {120.2596645, 31.8338531}, {120.35, 31.85}, {120.45, 31.88},
	{120.2, 31.75}, {120.55, 31.85}, {120.3, 31.7}, {120.4, 31.78},
}

// pause is what a client of the load waits between two lookups: the
// load is steady (about 1,000 lookups a second in all) without taking the
// two cores the replicas build on; a replica's first answer of a version
// is timed within it.
const pause = 2 * time.Millisecond

// workersPerReplica is how many clients of the load send lookups to each
// replica, one after another.
const workersPerReplica = 2

// load sends lookups to every replica that is up, until stopped, and
// records each failure and, per replica, when each version was first
// answered.
type load struct {
	reps []*replica
	stop chan struct{}
	wg   sync.WaitGroup

	mu       sync.Mutex
	n        int                             // lookups answered
	failures []string                        // what failed, when and where
	first    map[string]map[string]time.Time // replica → version → its first answer
	back     []string                        // a client answered an older version after a newer
}

// startLoad starts the load on the rig's replicas.
func (r *rig) startLoad() *load {
	l := &load{reps: r.reps, stop: make(chan struct{}), first: map[string]map[string]time.Time{}}
	for _, rep := range r.reps {
		l.first[rep.name] = map[string]time.Time{}
		for w := range workersPerReplica {
			l.wg.Add(1)
			go l.work(rep, w)
		}
	}
	r.t.Cleanup(l.end)
	return l
}

// end stops the load and waits for its clients.
func (l *load) end() {
	select {
	case <-l.stop:
	default:
		close(l.stop)
	}
	l.wg.Wait()
}

// work is one client: lookups to rep one after another, skipping the
// times rep is down.
func (l *load) work(rep *replica, w int) {
	defer l.wg.Done()
	newest := 0
	for i := w; ; i++ {
		select {
		case <-l.stop:
			return
		default:
		}
		gen := rep.gen.Load()
		if !rep.up.Load() {
			time.Sleep(5 * time.Millisecond)
			continue
		}
		time.Sleep(pause)
		p := loadPoints[i%len(loadPoints)]
		v, err := lookup(rep, p)
		at := time.Now()
		if err != nil {
			if rep.up.Load() && rep.gen.Load() == gen {
				l.fail(fmt.Sprintf("%s %s: lookup (%v, %v): %v", at.Format("15:04:05.000"), rep.name, p[0], p[1], err))
			}
			continue
		}
		n := versionNum(v)
		l.answered(rep.name, v, at, n < newest)
		newest = max(newest, n)
	}
}

// lookup asks rep for the grid at p and returns the version that answered
// (X-Gridmap-Version); an answer other than 200 with a version is an error.
func lookup(rep *replica, p [2]float64) (string, error) {
	resp, err := client.Get(fmt.Sprintf("%s/api/v1/lookup?lon=%v&lat=%v", rep.base(), p[0], p[1]))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	v := resp.Header.Get("X-Gridmap-Version")
	if resp.StatusCode != http.StatusOK || v == "" {
		return "", fmt.Errorf("%d (version %q): %.200s", resp.StatusCode, v, b)
	}
	return v, nil
}

func (l *load) fail(what string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures = append(l.failures, what)
}

func (l *load) answered(rep, v string, at time.Time, back bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	if _, ok := l.first[rep][v]; !ok {
		l.first[rep][v] = at
	}
	if back {
		l.back = append(l.back, fmt.Sprintf("%s answered %s after a newer version", rep, v))
	}
}

// mark is the load's counts at a moment, to check a phase by.
type mark struct{ n, failures, back int }

func (l *load) mark() mark {
	l.mu.Lock()
	defer l.mu.Unlock()
	return mark{l.n, len(l.failures), len(l.back)}
}

// check fails t for each failed lookup and each version answered after a
// newer one since m, and for a phase without lookups answered; it returns
// the lookups answered.
func (l *load) check(t *testing.T, m mark) int {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, f := range l.failures[m.failures:] {
		t.Errorf("failed lookup: %s", f)
	}
	for _, b := range l.back[m.back:] {
		t.Errorf("version went back: %s", b)
	}
	if l.n == m.n {
		t.Errorf("no lookup answered")
	}
	return l.n - m.n
}

// firstAnswer returns when rep first answered version v, and whether it
// has.
func (l *load) firstAnswer(rep, v string) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	at, ok := l.first[rep][v]
	return at, ok
}

// waitServed waits until every replica that is up has answered a lookup
// with version v, and returns when each first did; it fails t after
// startTimeout.
func (l *load) waitServed(t *testing.T, v string) map[string]time.Time {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	for {
		got, all := map[string]time.Time{}, true
		for _, rep := range l.reps {
			at, ok := l.firstAnswer(rep.name, v)
			if ok {
				got[rep.name] = at
			}
			all = all && (ok || !rep.up.Load())
		}
		if all {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v, version %s answered only by %v", startTimeout, v, got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// versionNum is N of a version id vN, 0 for another.
func versionNum(id string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(id, "v"))
	return n
}
