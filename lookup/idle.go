package lookup

import (
	"io"
	"sync"
	"time"
)

// batchIdle is how long a batch's input may wait on its client before the
// answers so far are sent through: a client that sends points as they come
// (a dispatch desk keeping one NDJSON request open all shift) then gets each
// answer at once, while a bulk upload, which never pauses that long, keeps
// its answers batched (and an early input error remains a clean 400).
const batchIdle = 20 * time.Millisecond

// Flusher is implemented by a batch's output writer that can push what it
// was given on to its reader (an HTTP answer, standard output); Batch calls
// it when the input pauses.
type Flusher interface {
	Flush() error
}

// idleReader is a batch's input. The batch's goroutine holds mu while it
// works and releases it only while it waits on a read; a read that waits
// longer than idle lets onIdle run, under mu, on a timer's goroutine.
type idleReader struct {
	r      io.Reader
	mu     sync.Mutex
	idle   time.Duration
	onIdle func()
	timer  *time.Timer
}

// newIdleReader returns r wrapped; the caller holds mu from then on, and
// sets onIdle once its answer machinery exists.
func newIdleReader(r io.Reader, idle time.Duration) *idleReader {
	x := &idleReader{r: r, idle: idle}
	x.timer = time.AfterFunc(time.Hour, func() {
		x.mu.Lock()
		defer x.mu.Unlock()
		if x.onIdle != nil {
			x.onIdle()
		}
	})
	x.timer.Stop()
	x.mu.Lock()
	return x
}

func (x *idleReader) Read(p []byte) (int, error) {
	x.mu.Unlock()
	x.timer.Reset(x.idle)
	n, err := x.r.Read(p)
	x.timer.Stop()
	x.mu.Lock()
	return n, err
}

// close stops the timer; a flush under way finishes first.
func (x *idleReader) close() {
	x.timer.Stop()
	x.onIdle = nil
	x.mu.Unlock()
}
