package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/chromedp"
)

// measurements are the wall's timings over the rounds, in milliseconds.
type measurements struct {
	incidents   int
	viewport    string
	layers      []string
	firstPaint  []int
	tiles       []int // first tiles drawn, since navigation
	figures     []int // first level's figures applied, since navigation
	levelSwitch map[string][]int
	levelFetch  map[string][]int // the page's stats request of a switch
	statsMS     map[string][]int // the same request from Go, before the switch
}

// pageWait bounds each wait for the page.
const pageWait = 2 * time.Minute

// measure opens the wall at base rounds times in headless Chromium of
// w×h and reads its marks: the first paint, then a switch to every layer.
// With timeline, each round's requests until the first paint and where
// the page's JavaScript spent its time are printed (timeline.go).
func measure(ctx context.Context, s *server, chromium string, w, h, rounds int, timeline bool) (measurements, error) {
	m := measurements{viewport: fmt.Sprintf("%dx%d", w, h), levelSwitch: map[string][]int{}, levelFetch: map[string][]int{}, statsMS: map[string][]int{}}
	layers, err := s.layers()
	if err != nil {
		return m, err
	}
	m.layers = layers
	if m.incidents, _, err = s.stats(layers[0]); err != nil {
		return m, err
	}
	tmp, err := os.MkdirTemp("", "gridmap-wall-chromium-")
	if err != nil {
		return m, err
	}
	defer os.RemoveAll(tmp)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(tmp), chromedp.WindowSize(w, h), chromedp.Env("TMPDIR="+tmp))
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(int64(w), int64(h))); err != nil {
		return m, fmt.Errorf("start chromium: %w", err)
	}
	for r := 0; r < rounds; r++ {
		if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
			return m, err
		}
		if timeline {
			if err := startProfile(bctx); err != nil {
				return m, err
			}
		}
		if err := chromedp.Do(bctx, chromedp.Navigate(s.base+"/")); err != nil {
			return m, err
		}
		fp, err := waitNumber(bctx, `window.gridmapMarks && window.gridmapMarks.firstPaint`)
		if err != nil {
			return m, fmt.Errorf("round %d first paint: %w", r, err)
		}
		m.firstPaint = append(m.firstPaint, fp)
		parts, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]int](`window.gridmapMarks`))
		if err != nil {
			return m, err
		}
		if timeline {
			if err := printTimeline(bctx, r); err != nil {
				return m, err
			}
			if err := printProfile(bctx, r); err != nil {
				return m, err
			}
		}
		m.tiles = append(m.tiles, parts["tiles"])
		m.figures = append(m.figures, parts["figures"])
		// every layer, ending where the page started
		order := append(append([]string(nil), layers...), layers[min(1, len(layers)-1)])
		for _, l := range order {
			_, took, err := s.stats(l)
			if err != nil {
				return m, err
			}
			m.statsMS[l] = append(m.statsMS[l], int(took.Milliseconds()))
			js := fmt.Sprintf(`delete window.gridmapMarks.levelSwitch, window.gridmapSetLevel(%q), true`, l)
			if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](js)); err != nil {
				return m, err
			}
			ls, err := waitNumber(bctx, `window.gridmapMarks.levelSwitch`)
			if err != nil {
				return m, fmt.Errorf("round %d switch to %s: %w", r, l, err)
			}
			m.levelSwitch[l] = append(m.levelSwitch[l], ls)
			fetch, err := chromedp.Run(bctx, chromedp.Evaluate[int](`window.gridmapMarks.levelFetch`))
			if err != nil {
				return m, err
			}
			m.levelFetch[l] = append(m.levelFetch[l], fetch)
		}
		fmt.Fprintf(os.Stderr, "round %d: first paint %d ms\n", r, fp)
	}
	return m, nil
}

// waitNumber polls the JavaScript expression until it is a number.
func waitNumber(ctx context.Context, expr string) (int, error) {
	deadline := time.Now().Add(pageWait)
	for time.Now().Before(deadline) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[*float64](`(v => typeof v === 'number' ? v : null)(`+expr+`)`))
		if err != nil {
			return 0, err
		}
		if v != nil {
			return int(*v), nil
		}
		if err := chromedp.Do(ctx, chromedp.Sleep(50*time.Millisecond)); err != nil {
			return 0, err
		}
	}
	return 0, fmt.Errorf("%s not a number after %s", expr, pageWait)
}
