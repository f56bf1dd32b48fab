package importer

import (
	"io"
	"os"
	"sync"
	"sync/atomic"
)

// Stages of an import, in order, as reported to Options.Progress.
const (
	StageRead     = "read"     // Done and Total in bytes of the source files
	StageGeometry = "geometry" // Done and Total in features
	StageTopology = "topology" // Done and Total in layers
	StageDone     = "done"     // checks finished (publishing is the caller's)
)

// Progress is one report of how far an Import has come.
type Progress struct {
	Stage   string  `json:"stage"`
	Done    int64   `json:"done"`
	Total   int64   `json:"total"`
	Percent float64 `json:"percent"` // of the whole import, 0–100
}

// stageSpan is the share of the whole import each stage takes, roughly as
// measured on Jiangyin: reading 40 %, geometry 25 %, topology 35 %.
var stageSpan = map[string][2]float64{
	StageRead:     {0, 40},
	StageGeometry: {40, 65},
	StageTopology: {65, 100},
	StageDone:     {100, 100},
}

// tracker calls Options.Progress, serialised and at most once per percent
// per stage.
type tracker struct {
	fn    func(Progress)
	mu    sync.Mutex
	last  Progress
	bytes atomic.Int64
	total int64
}

func newTracker(fn func(Progress)) *tracker { return &tracker{fn: fn} }

// report sends a progress report when it moved by a percent or the stage
// changed.
func (t *tracker) report(stage string, done, total int64) {
	if t == nil || t.fn == nil {
		return
	}
	span := stageSpan[stage]
	pct := span[0]
	if total > 0 {
		pct += (span[1] - span[0]) * float64(min(done, total)) / float64(total)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if stage == t.last.Stage && pct-t.last.Percent < 1 && done != total {
		return
	}
	t.last = Progress{Stage: stage, Done: done, Total: total, Percent: pct}
	t.fn(t.last)
}

// sizeOf returns the bytes of the source files that exist.
func sizeOf(srcs []Source) int64 {
	var n int64
	for _, s := range srcs {
		if fi, err := os.Stat(s.Path); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// countingReader reports bytes read to a tracker.
type countingReader struct {
	r io.Reader
	t *tracker
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 && c.t != nil {
		done := c.t.bytes.Add(int64(n))
		c.t.report(StageRead, done, c.t.total)
	}
	return n, err
}
