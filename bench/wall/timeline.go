package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// request is one entry of the page's resource timing: its URL's path and
// query, when it started and when its answer ended, in ms since
// navigation.
type request struct {
	Name  string  `json:"name"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Bytes float64 `json:"bytes"`
}

// timelineJS reads the page's resource timing entries.
const timelineJS = `performance.getEntriesByType('resource').map(e => ({name: e.name, start: e.startTime, end: e.responseEnd, bytes: e.transferSize}))`

// printTimeline prints the requests of round r that ended before its
// first paint, in the order they started, to stderr: what the first paint
// waited on.
func printTimeline(ctx context.Context, r int) error {
	reqs, err := chromedp.Run(ctx, chromedp.Evaluate[[]request](timelineJS))
	if err != nil {
		return fmt.Errorf("round %d timeline: %w", r, err)
	}
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`window.gridmapMarks`))
	if err != nil {
		return err
	}
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].Start < reqs[j].Start })
	fmt.Fprintf(os.Stderr, "round %d timeline (ms since navigation; marks %v):\n", r, marks)
	for _, q := range reqs {
		if q.Start > marks["firstPaint"] {
			continue
		}
		name := q.Name
		if i := strings.Index(name, "//"); i >= 0 {
			if j := strings.Index(name[i+2:], "/"); j >= 0 {
				name = name[i+2+j:]
			}
		}
		fmt.Fprintf(os.Stderr, "  %6.0f %6.0f %6.0f  %8.0f B  %s\n", q.Start, q.End, q.End-q.Start, q.Bytes, name)
	}
	return nil
}

// startProfile starts Chromium's JavaScript sampling profiler (every
// 200 µs).
func startProfile(ctx context.Context) error {
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, profiler.Enable, cdp.Empty{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 200}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, profiler.Start, cdp.Empty{})
		return err
	}))
}

// printProfile stops the profiler and prints, to stderr, the functions
// that took most of round r's samples by self time.
func printProfile(ctx context.Context, r int) error {
	res, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (profiler.StopResult, error) {
		return cdp.Call(ctx, t, profiler.Stop, cdp.Empty{})
	})
	if err != nil || res.Profile == nil {
		return fmt.Errorf("round %d profile: %v", r, err)
	}
	p := res.Profile
	self := map[string]float64{} // µs by function
	node := map[int64]string{}
	for _, n := range p.Nodes {
		f := n.CallFrame
		name := f.FunctionName
		if name == "" {
			name = "(anonymous)"
		}
		node[n.ID] = fmt.Sprintf("%s %s:%d", name, f.URL[strings.LastIndex(f.URL, "/")+1:], f.LineNumber+1)
	}
	total := 0.0
	for i, id := range p.Samples {
		if i < len(p.TimeDeltas) {
			self[node[id]] += float64(p.TimeDeltas[i])
			total += float64(p.TimeDeltas[i])
		}
	}
	names := make([]string, 0, len(self))
	for n := range self {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return self[names[i]] > self[names[j]] })
	fmt.Fprintf(os.Stderr, "round %d profile, %.0f ms sampled; self time:\n", r, total/1000)
	for _, n := range names[:min(25, len(names))] {
		fmt.Fprintf(os.Stderr, "  %7.1f ms  %s\n", self[n]/1000, n)
	}
	return nil
}
