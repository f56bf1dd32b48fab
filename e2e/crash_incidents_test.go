package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// incidentKillSource is the source of the incidents of TestCrashIncidents,
// so that they are listed apart from the sample's.
const incidentKillSource = "e2e-kill"

// TestCrashIncidents kills `gridmap serve` with SIGKILL while 8 clients
// report incidents over HTTP as fast as it answers, 20 times (3 with
// -short), and checks after each restart that every incident whose 201
// arrived is there, with its id and external_ref: an acknowledged report
// is never lost. Reports whose answer did not arrive may or may not be
// there, never twice (their external_ref is unique).
func TestCrashIncidents(t *testing.T) {
	kills := 20
	if testing.Short() {
		kills = 3
	}
	rng := rand.New(rand.NewSource(crashSeed(t)))
	bin := buildGridmap(t)
	data := filepath.Join(t.TempDir(), "data")
	acked := map[int64]string{} // id → external_ref of every 201
	total := 0
	for k := range kills {
		srv := startServe(t, bin, data)
		checkAcked(t, srv, acked)
		if t.Failed() {
			srv.kill()
			return
		}
		got := reportUntilKilled(t, srv, k, time.Duration(50+rng.Intn(600))*time.Millisecond)
		for id, ref := range got {
			acked[id] = ref
		}
		total += len(got)
	}
	srv := startServe(t, bin, data)
	defer srv.kill()
	checkAcked(t, srv, acked)
	t.Logf("%d kills, %d acknowledged incidents, all found after restarts", kills, total)
	if total == 0 {
		t.Fatal("no report was acknowledged before any kill: the test proved nothing")
	}
}

// reportUntilKilled runs 8 clients reporting incidents to srv, kills srv
// after delay and returns the incidents acknowledged with a 201 (id →
// external_ref).
func reportUntilKilled(t *testing.T, srv *serveProc, cycle int, delay time.Duration) map[int64]string {
	t.Helper()
	var mu sync.Mutex
	acked := map[int64]string{}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	client := &http.Client{Timeout: crashStartTimeout}
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				ref := fmt.Sprintf("k%d-c%d-%d", cycle, c, n)
				id, ok := reportOne(client, srv.base, ref)
				if !ok {
					return // the server is gone
				}
				mu.Lock()
				acked[id] = ref
				mu.Unlock()
			}
		}()
	}
	time.Sleep(delay)
	if !srv.kill() {
		t.Fatalf("the server had exited before its kill:\n%s", srv.log)
	}
	close(stop)
	wg.Wait()
	return acked
}

// reportOne reports one incident at a point of the sample and returns its
// id when the answer, a 201, arrived whole.
func reportOne(client *http.Client, base, ref string) (int64, bool) {
	body := fmt.Sprintf(`{"lon":120.285,"lat":31.905,"category":"其他","source":%q,"external_ref":%q}`, incidentKillSource, ref)
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/incidents", bytes.NewReader([]byte(body)))
	if err != nil {
		return 0, false
	}
	req.Header.Set("Authorization", "Bearer "+crashToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	var inc struct {
		ID int64 `json:"id"`
	}
	if resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&inc) != nil {
		return 0, false
	}
	return inc.ID, true
}

// checkAcked lists the test's incidents on srv and fails the test for
// each acknowledged one that is missing or differs, and for an
// external_ref stored twice.
func checkAcked(t *testing.T, srv *serveProc, acked map[int64]string) {
	t.Helper()
	stored := map[int64]string{}
	refs := map[string]bool{}
	path := "/api/v1/incidents?limit=1000&source=" + incidentKillSource
	for path != "" {
		var page struct {
			Incidents []struct {
				ID          int64  `json:"id"`
				ExternalRef string `json:"external_ref"`
			} `json:"incidents"`
			Next string `json:"next"`
		}
		if err := srv.getJSON(path, &page); err != nil {
			t.Fatal(err)
		}
		for _, inc := range page.Incidents {
			if refs[inc.ExternalRef] {
				t.Errorf("external_ref %s stored twice", inc.ExternalRef)
			}
			refs[inc.ExternalRef] = true
			stored[inc.ID] = inc.ExternalRef
		}
		path = ""
		if page.Next != "" {
			path = "/api/v1/incidents?limit=1000&source=" + incidentKillSource + "&cursor=" + page.Next
		}
	}
	lost := 0
	for id, ref := range acked {
		if stored[id] != ref {
			lost++
			if lost <= 5 {
				t.Errorf("incident %d (%s) acknowledged with 201 but stored as %q", id, ref, stored[id])
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged incidents lost", lost, len(acked))
	}
}
