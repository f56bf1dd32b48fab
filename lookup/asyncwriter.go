package lookup

import (
	"fmt"
	"io"
)

// asyncWriter buffers a batch's answer and writes each full buffer to the
// underlying writer on a goroutine of its own, so that the lookups go on
// while the previous buffer is in the write system call (a million NDJSON
// answers are some 650 MB). Its methods are for one goroutine at a time;
// writes reach w in order.
type asyncWriter struct {
	w    io.Writer
	size int
	cur  *outBuf
	bufs *relay[*outBuf]
	// err is the first error of a write; nothing is written after it.
	err error
}

// outBuf is one buffer of answer bytes and, once written, the error of its
// write.
type outBuf struct {
	b   []byte
	err error
}

// newAsyncWriter returns a writer to w that writes in pieces of size bytes,
// with n buffers; Close must be called.
func newAsyncWriter(w io.Writer, size, n int) *asyncWriter {
	a := &asyncWriter{w: w, size: size}
	bufs := make([]*outBuf, n)
	for i := range bufs {
		// room past size for the line that fills a buffer (see commit)
		bufs[i] = &outBuf{b: make([]byte, 0, size+size/4)}
	}
	var failed error // the goroutine's own: nothing is written after an error
	a.bufs = newRelay(bufs, func(o *outBuf) {
		if failed == nil {
			failed = a.write(o.b)
		}
		o.err = failed
		o.b = o.b[:0]
	}, func(o *outBuf) {
		if a.err == nil {
			a.err = o.err
		}
		o.err = nil
	})
	a.cur = a.bufs.take()
	return a
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

// send hands the current buffer to the goroutine.
func (a *asyncWriter) send() {
	if len(a.cur.b) == 0 || a.err != nil {
		return
	}
	a.bufs.send(a.cur)
	a.cur = a.bufs.take()
}

// Write queues p; it returns the error of an earlier write, if any.
func (a *asyncWriter) Write(p []byte) (int, error) { return queue(a, p) }

// WriteString is Write for a string.
func (a *asyncWriter) WriteString(s string) (int, error) { return queue(a, s) }

func queue[S ~string | ~[]byte](a *asyncWriter, p S) (int, error) {
	b, err := a.tail()
	if err != nil {
		return 0, err
	}
	return len(p), a.commit(append(b, p...))
}

// tail returns the current buffer, for an encoder to append to in place of
// Write (saving a copy), and the error of an earlier write, if any; commit
// takes the grown buffer back.
func (a *asyncWriter) tail() ([]byte, error) { return a.cur.b, a.err }

// commit takes back the buffer tail returned, with bytes appended, and
// queues them as Write would; it returns the error of an earlier write.
func (a *asyncWriter) commit(b []byte) error {
	a.cur.b = b
	if len(b) >= a.size {
		a.send()
	}
	return a.err
}

// appendWith queues what f appends to the buffer, as Write would queue it,
// encoded in place; it returns the error of an earlier write.
func (a *asyncWriter) appendWith(f func([]byte) []byte) error {
	b, err := a.tail()
	if err != nil {
		return err
	}
	return a.commit(f(b))
}

// Flush writes everything queued and waits until it is written.
func (a *asyncWriter) Flush() error {
	a.send()
	a.bufs.drain()
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
	a.bufs.stop()
	return err
}
