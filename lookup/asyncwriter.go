package lookup

import (
	"fmt"
	"io"
)

// asyncWriter buffers a batch's answer and writes each full buffer to the
// underlying writer on a goroutine of its own, so that the lookups go on
// while the previous buffer is in the write system call (a million NDJSON
// answers are some 650 MB). Write and Flush must not be called
// concurrently; writes reach w in order.
type asyncWriter struct {
	w    io.Writer
	size int
	cur  []byte
	// spare buffers, and those handed to the goroutine and not yet back
	spare   [][]byte
	pending int
	todo    chan []byte
	back    chan result
	done    chan struct{}
	err     error
}

type result struct {
	buf []byte
	err error
}

// newAsyncWriter returns a writer to w that writes in pieces of size bytes,
// with n buffers; Close must be called.
func newAsyncWriter(w io.Writer, size, n int) *asyncWriter {
	a := &asyncWriter{w: w, size: size, todo: make(chan []byte, n), back: make(chan result, n), done: make(chan struct{})}
	for i := 0; i < n; i++ {
		a.spare = append(a.spare, make([]byte, 0, size))
	}
	a.cur = a.take()
	go a.run()
	return a
}

func (a *asyncWriter) run() {
	defer close(a.done)
	var err error
	for b := range a.todo {
		if err == nil {
			err = a.write(b)
		}
		a.back <- result{b[:0], err}
	}
}

func (a *asyncWriter) write(b []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("writing the answer: internal error: %v", r)
		}
	}()
	_, err = a.w.Write(b)
	return err
}

func (a *asyncWriter) take() []byte {
	b := a.spare[len(a.spare)-1]
	a.spare = a.spare[:len(a.spare)-1]
	return b
}

func (a *asyncWriter) collect() {
	r := <-a.back
	a.pending--
	if a.err == nil {
		a.err = r.err
	}
	a.spare = append(a.spare, r.buf)
}

// send hands the current buffer to the goroutine.
func (a *asyncWriter) send() {
	if len(a.cur) == 0 || a.err != nil {
		return
	}
	a.todo <- a.cur
	a.pending++
	if len(a.spare) == 0 {
		a.collect()
	}
	a.cur = a.take()
}

// Write queues p; it returns the error of an earlier write, if any.
func (a *asyncWriter) Write(p []byte) (int, error) {
	if a.err != nil {
		return 0, a.err
	}
	a.cur = append(a.cur, p...)
	if len(a.cur) >= a.size {
		a.send()
	}
	return len(p), a.err
}

// WriteString is Write for a string.
func (a *asyncWriter) WriteString(s string) (int, error) {
	if a.err != nil {
		return 0, a.err
	}
	a.cur = append(a.cur, s...)
	if len(a.cur) >= a.size {
		a.send()
	}
	return len(s), a.err
}

// Flush writes everything queued and waits until it is written.
func (a *asyncWriter) Flush() error {
	a.send()
	for a.pending > 0 {
		a.collect()
	}
	return a.err
}

// FlushThrough is Flush, then Flush of the underlying writer when it is a
// Flusher.
func (a *asyncWriter) FlushThrough() error {
	if err := a.Flush(); err != nil {
		return err
	}
	if f, ok := a.w.(Flusher); ok {
		if err := f.Flush(); err != nil {
			a.err = err
			return err
		}
	}
	return nil
}

// Close flushes and ends the goroutine.
func (a *asyncWriter) Close() error {
	err := a.Flush()
	close(a.todo)
	<-a.done
	return err
}
