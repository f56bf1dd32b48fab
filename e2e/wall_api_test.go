package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// apiClient calls the server's incident API with a bearer token.
type apiClient struct {
	base, token string
}

var apiHTTP = &http.Client{Timeout: 30 * time.Second}

// do sends a request with the token and decodes a JSON answer into v
// (nil: the body is dropped); it fails the test on an error or an answer
// of 300 or more.
func (a apiClient) do(t *testing.T, method, path, ctype string, body []byte, v any) int {
	t.Helper()
	st, err := a.send(method, path, ctype, body, v)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// send is do for any goroutine: it returns what went wrong.
func (a apiClient) send(method, path, ctype string, body []byte, v any) (int, error) {
	req, err := http.NewRequest(method, a.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := apiHTTP.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: read: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, b)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: decode: %w: %s", method, path, err, b)
		}
	}
	return resp.StatusCode, nil
}

// importStaff makes a roster of one responsible grid worker (wallWorker)
// on grid code.
func (a apiClient) importStaff(t *testing.T, code string) {
	t.Helper()
	csv := fmt.Sprintf("grid,id,name,role,phone\n%s,%s,%s,专职网格员,%s\n", code, wallWorker, wallWorkerName, wallPhone)
	if st := a.do(t, http.MethodPost, "/api/v1/staff", "text/csv", []byte(csv), nil); st != http.StatusCreated {
		t.Fatalf("POST /api/v1/staff: status %d, want 201", st)
	}
}

// layerCounts are the most incidents of a grid of layer and those of grid
// code (0 when it has none).
func (a apiClient) layerCounts(t *testing.T, layer, code string) (most, own int) {
	t.Helper()
	var res struct {
		Grids []struct {
			Code  string `json:"code"`
			Total int    `json:"total"`
		} `json:"grids"`
	}
	a.do(t, http.MethodGet, "/api/v1/stats?layer="+url.QueryEscape(layer), "", nil, &res)
	for _, g := range res.Grids {
		most = max(most, g.Total)
		if g.Code == code {
			own = g.Total
		}
	}
	return most, own
}

// postIncidents reports n incidents at (lon, lat), WGS84, from 8 clients
// at once, and returns the highest id, that of the last one stored.
func (a apiClient) postIncidents(t *testing.T, n int, lon, lat float64) int64 {
	t.Helper()
	run := time.Now().UnixNano()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		last int64
	)
	next := make(chan int)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				body, _ := json.Marshal(map[string]any{
					"lon": lon, "lat": lat, "category": "市容环境", "source": "12345",
					"external_ref": fmt.Sprintf("e2e-wall-%d-%d", run, i),
					"description":  fmt.Sprintf("墙面测试事件 %d", i),
					"reporter":     map[string]string{"name": "李四", "phone": "13900002222"},
				})
				var inc struct {
					ID int64 `json:"id"`
				}
				st, err := a.send(http.MethodPost, "/api/v1/incidents", "application/json", body, &inc)
				if err == nil && st != http.StatusCreated {
					err = fmt.Errorf("POST incident %d: status %d, want 201", i, st)
				}
				mu.Lock()
				if err != nil {
					t.Error(err)
				}
				last = max(last, inc.ID)
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return last
}

// incidentAnswer is GET /api/v1/incidents/{id}.
type incidentAnswer struct {
	Incident struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
		Rating int    `json:"rating"`
	} `json:"incident"`
	History []struct {
		Action string `json:"action"`
		To     string `json:"to"`
	} `json:"history"`
}

func (a apiClient) incident(t *testing.T, id int64) incidentAnswer {
	t.Helper()
	var res incidentAnswer
	a.do(t, http.MethodGet, fmt.Sprintf("/api/v1/incidents/%d", id), "", nil, &res)
	return res
}
