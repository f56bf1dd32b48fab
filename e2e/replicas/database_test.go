package replicas

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/store/pgstore"
	"github.com/jackc/pgx/v5"
)

// downFor is how long the database stays stopped in the restart phase,
// under the load.
const downFor = 3 * time.Second

// restartDatabase restarts the database, then stops it for downFor, under
// the load: no lookup fails; while it is down every replica's /readyz is
// 200 with store unreachable and writes false, gridmap_store_up is 0, an
// import, an activation, an incident report and an incident's step are
// refused with 503 store_unavailable and Retry-After, and the version list
// (it reads the store) answers 503 store_unavailable too; once it is back every replica says so by itself, and an
// import on another replica than the first phase's reaches all three
// (their LISTEN connections came back).
func (r *rig) restartDatabase(t *testing.T, l *load) {
	m := l.mark()
	v := r.active(t)
	r.pg.Restart(t)
	r.waitAll(t, "ready with the store back after a restart", func(a readyAnswer) bool { return a.Store == "ok" && a.Writes })
	r.pg.Stop(t)
	down := time.Now()
	r.waitAll(t, "ready with the store unreachable", func(a readyAnswer) bool {
		return a.Version == v && a.Store == "unreachable" && !a.Writes && a.Problem != ""
	})
	for _, rep := range r.reps {
		for _, path := range []string{"/api/v1/imports", "/api/v1/versions/" + v + "/activate", "/api/v1/incidents", "/api/v1/incidents/1/actions"} {
			status, code, retry, err := rep.post(path)
			if err != nil || status != http.StatusServiceUnavailable || code != "store_unavailable" || retry == "" {
				t.Errorf("%s: POST %s with the database down: %d %s Retry-After %q %v, want 503 store_unavailable with Retry-After", rep.name, path, status, code, retry, err)
			}
		}
		if status, code, err := rep.getCode("/api/v1/versions"); err != nil || status != http.StatusServiceUnavailable || code != "store_unavailable" {
			t.Errorf("%s: GET /api/v1/versions with the database down: %d %s %v, want 503 store_unavailable", rep.name, status, code, err)
		}
		if !strings.Contains(rep.metrics(t), "\ngridmap_store_up 0\n") {
			t.Errorf("%s: gridmap_store_up is not 0 with the database down", rep.name)
		}
	}
	time.Sleep(time.Until(down.Add(downFor)))
	r.pg.Start(t)
	back := time.Now()
	r.waitAll(t, "ready with the store back", func(a readyAnswer) bool { return a.Store == "ok" && a.Writes })
	t.Logf("database down %.1f s; every replica took writes again %.0f ms after it was back",
		back.Sub(down).Seconds(), float64(time.Since(back).Microseconds())/1000)
	r.waitActive(t)
	r.importReachesAll(t, l, r.reps[1])
	t.Logf("%d lookups across the restart and the stop", l.check(t, m))
}

// metrics returns rep's /metrics text.
func (rep *replica) metrics(t *testing.T) string {
	t.Helper()
	resp, err := client.Get(rep.base() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitActive waits until the test's own store reads the active version
// again after the database came back (its pool reconnects on use).
func (r *rig) waitActive(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := r.st.Active(ctx)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the store's active version: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// commits is the test's own LISTEN on the store's channel: when each
// version was made active, by the notification's arrival.
type commits struct {
	mu   sync.Mutex
	at   map[string]time.Time
	done chan struct{}
	err  error
}

// listen LISTENs on pgstore.Channel until t ends.
func (r *rig) listen(t *testing.T) *commits {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	conn, err := pgx.Connect(ctx, r.dsn)
	if err != nil {
		cancel()
		t.Fatalf("listen: %v", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgstore.Channel); err != nil {
		cancel()
		t.Fatalf("listen: %v", err)
	}
	c := &commits{at: map[string]time.Time{}, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				c.mu.Lock()
				c.err = err
				c.mu.Unlock()
				return
			}
			c.mu.Lock()
			if _, ok := c.at[n.Payload]; !ok {
				c.at[n.Payload] = time.Now()
			}
			c.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-c.done
		conn.Close(context.Background())
	})
	return c
}

// wait returns when version v's activation was notified; it fails t
// after startTimeout.
func (c *commits) wait(t *testing.T, v string) time.Time {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	for {
		c.mu.Lock()
		at, ok := c.at[v]
		err := c.err
		c.mu.Unlock()
		if ok {
			return at
		}
		if err != nil || time.Now().After(deadline) {
			t.Fatalf("no notification of %s's activation (%v)", v, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
