package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"github.com/gridmap/gridmap/catalog"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"weak"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/store"
	"github.com/paulmach/orb"
)

// tinyVersion is a dataset of one county split into a west and an east
// town whose names carry the version tag, so an answer shows which version
// produced it.
func tinyVersion(t *testing.T, tag string) *geo.Dataset {
	t.Helper()
	sq := func(x0 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, 31}, {x0 + 1, 31}, {x0 + 1, 32}, {x0, 32}, {x0, 31}}}}
	}
	county := geo.NewLayer("county", []*geo.Grid{{Code: "1", Name: "county " + tag, Props: map[string]any{}, Geom: orb.MultiPolygon{{{{120, 31}, {122, 31}, {122, 32}, {120, 32}, {120, 31}}}}}})
	towns := geo.NewLayer("towns", []*geo.Grid{
		{Code: "11", Parent: "1", Name: "west " + tag, Props: map[string]any{}, Geom: sq(120)},
		{Code: "12", Parent: "1", Name: "east " + tag, Props: map[string]any{}, Geom: sq(121)},
	})
	d, err := geo.NewDataset([]*geo.Layer{county, towns})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestPublishUnderLoad publishes versions while clients send single and
// batch lookups: no request fails, every answer names one version and all
// of its grids come from that version, and the old snapshots are released.
func TestPublishUnderLoad(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Publish(ctx, tinyVersion(t, "v1"), store.Meta{}, true); err != nil {
		t.Fatal(err)
	}
	srv, cat, err := NewTestServer(ctx, catalog.Options{Store: st, Poll: 20 * time.Millisecond}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := weak.Make(cat.Current())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ctx, ln)
	base := "http://" + ln.Addr().String()

	var requests, failures atomic.Int64
	seen := sync.Map{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	check := func(version string, names ...string) {
		seen.Store(version, true)
		for _, n := range names {
			if !strings.HasSuffix(n, " "+version) {
				failures.Add(1)
				t.Errorf("answer of version %s holds %q", version, n)
			}
		}
	}
	client := &http.Client{Timeout: 10 * time.Second}
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				requests.Add(1)
				if w%2 == 0 {
					resp, err := client.Get(fmt.Sprintf("%s/api/v1/lookup?lon=%v&lat=31.5", base, 120.25+float64(i%3)*0.5))
					if err != nil || resp.StatusCode != 200 {
						failures.Add(1)
						t.Errorf("single lookup: %v %v", err, resp)
						return
					}
					var a struct {
						Version string
						Chain   []struct{ Name string }
					}
					json.NewDecoder(resp.Body).Decode(&a)
					resp.Body.Close()
					var names []string
					for _, c := range a.Chain {
						names = append(names, c.Name)
					}
					check(a.Version, names...)
					continue
				}
				// a streamed NDJSON batch: every line names the same version
				var body strings.Builder
				for k := 0; k < 2000; k++ {
					fmt.Fprintf(&body, "{\"id\":%d,\"lon\":%v,\"lat\":31.5}\n", k, 120.1+float64(k%19)*0.1)
				}
				resp, err := client.Post(base+"/api/v1/lookup", "application/x-ndjson", strings.NewReader(body.String()))
				if err != nil || resp.StatusCode != 200 {
					failures.Add(1)
					t.Errorf("batch: %v %v", err, resp)
					return
				}
				sc := bufio.NewScanner(resp.Body)
				version, lines := "", 0
				for sc.Scan() {
					var a struct {
						Version string
						Chain   []struct{ Name string }
					}
					if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
						failures.Add(1)
						t.Errorf("batch line %q: %v", sc.Text(), err)
						break
					}
					if version == "" {
						version = a.Version
					}
					if a.Version != version {
						failures.Add(1)
						t.Errorf("batch mixes versions %s and %s", version, a.Version)
					}
					var names []string
					for _, c := range a.Chain {
						names = append(names, c.Name)
					}
					check(a.Version, names...)
					lines++
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if lines != 2000 {
					failures.Add(1)
					t.Errorf("batch answered %d lines", lines)
				}
			}
		}(w)
	}
	for v := 2; v <= 6; v++ {
		time.Sleep(100 * time.Millisecond)
		if _, err := st.Publish(ctx, tinyVersion(t, fmt.Sprintf("v%d", v)), store.Meta{}, true); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for srv.Version() != "v6" && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()
	if srv.Version() != "v6" {
		t.Fatalf("serving %s, want v6", srv.Version())
	}
	n := 0
	seen.Range(func(_, _ any) bool { n++; return true })
	t.Logf("%d requests, %d failures, %d versions seen", requests.Load(), failures.Load(), n)
	if failures.Load() > 0 {
		t.Fatalf("%d failures", failures.Load())
	}
	if n < 2 {
		t.Errorf("only %d versions seen under load", n)
	}
	// the first snapshot is unreachable once its requests ended
	http.DefaultClient.CloseIdleConnections()
	client.CloseIdleConnections()
	for i := 0; i < 10 && first.Value() != nil; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if first.Value() != nil {
		t.Error("the snapshot of v1 is still reachable after the swap")
	}
}
