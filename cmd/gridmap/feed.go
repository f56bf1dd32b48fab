package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gridmap/gridmap/synth"
)

// feed posts synthetic incidents to a running server at a steady rate:
// the wall's demo feed. A 429 or 503 is retried with the same
// Idempotency-Key after Retry-After or an exponential backoff (0.2 s
// doubling to 10 s), so a retry never stores an incident twice.
type feed struct {
	url    string
	key    string
	every  time.Duration
	client *http.Client
	out    io.Writer
	// created, replayed, retried and failed count the answers.
	created, replayed, retried, failed atomic.Int64
}

// feedWorkers bounds the posts in flight.
const feedWorkers = 16

func newFeed(base, key string, rate float64, out io.Writer) *feed {
	return &feed{url: strings.TrimSuffix(base, "/") + "/api/v1/incidents", key: key,
		every: time.Duration(float64(time.Second) / rate), client: &http.Client{Timeout: 30 * time.Second}, out: out}
}

// run posts g's incidents until it has none left or ctx ends, printing
// the counts every 10 s and at the end.
func (f *feed) run(ctx context.Context, g *synth.Incidents) error {
	tick := time.NewTicker(f.every)
	defer tick.Stop()
	report := time.NewTicker(10 * time.Second)
	defer report.Stop()
	slots := make(chan struct{}, feedWorkers)
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		f.print("done")
	}()
	fmt.Fprintf(f.out, "posting %d incidents to %s, one every %v (Ctrl-C stops)\n", g.Left(), f.url, f.every)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-report.C:
			f.print("so far")
		case <-tick.C:
			inc, ok := g.Next()
			if !ok {
				return nil
			}
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return nil
			}
			wg.Add(1)
			go func() {
				defer func() { <-slots; wg.Done() }()
				f.post(ctx, &inc)
			}()
		}
	}
}

func (f *feed) print(when string) {
	fmt.Fprintf(f.out, "%s: %d created, %d replayed, %d retries, %d failed\n", when,
		f.created.Load(), f.replayed.Load(), f.retried.Load(), f.failed.Load())
}

// post sends one incident, retrying while the server is busy.
func (f *feed) post(ctx context.Context, inc *synth.Incident) {
	body := inc.ReportJSON(time.Now())
	backoff := 200 * time.Millisecond
	for {
		status, wait, err := f.send(ctx, body, inc.Source+":"+inc.ExternalRef)
		switch {
		case err == nil && status == http.StatusCreated:
			f.created.Add(1)
			return
		case err == nil && status == http.StatusOK:
			f.replayed.Add(1)
			return
		case err != nil && ctx.Err() != nil:
			return
		case err == nil && status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable:
			f.failed.Add(1)
			fmt.Fprintf(f.out, "incident %s: status %d\n", inc.ExternalRef, status)
			return
		}
		f.retried.Add(1)
		if wait == 0 {
			wait, backoff = backoff, min(2*backoff, 10*time.Second)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// send posts body once and returns the status and the Retry-After it
// asks for (0: none).
func (f *feed) send(ctx context.Context, body []byte, idem string) (int, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", idem)
	if f.key != "" {
		req.Header.Set("Authorization", "Bearer "+f.key)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	return resp.StatusCode, time.Duration(secs) * time.Second, nil
}
