package bigmem

import "io"

// writeChunk is the size and alignment of HugeWriter's writes: one huge
// page on x86-64 and on arm64 with 4 KiB pages.
const writeChunk = 2 << 20

// HugeWriter writes a file in whole, aligned huge pages: every write to
// the underlying writer but the last (Flush) is a multiple of 2 MiB long
// and starts at a multiple of 2 MiB from where the HugeWriter started,
// the file's start. Linux (ext4 since 6.16) caches each such write in one
// huge folio where it can, and MapFile maps those whole; a file written 1
// MiB at a time is cached in smaller folios, mapped with 4 KiB pages, and
// random reads of it then also miss the TLB. The 100-copy province's 5.4
// GB index file written through a 1 MiB bufio.Writer had 4.3 GB mapped
// as huge pages, copied 1 MiB at a time none, 2 MiB at a time 5.2 GB
// (docs/performance.md). Writes of 2 MiB or more are passed on without a
// copy while the buffer is empty.
type HugeWriter struct {
	w   io.Writer
	buf []byte
	err error
}

// NewHugeWriter returns a HugeWriter writing to w, which should be at the
// start of a file (or at a multiple of 2 MiB).
func NewHugeWriter(w io.Writer) *HugeWriter {
	return &HugeWriter{w: w, buf: make([]byte, 0, writeChunk)}
}

// Write implements io.Writer; what is buffered is written by a later
// Write or by Flush.
func (h *HugeWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 && h.err == nil {
		if len(h.buf) == 0 && len(p) >= writeChunk {
			n, err := h.w.Write(p[:len(p)/writeChunk*writeChunk])
			written += n
			p = p[n:]
			h.err = err
			continue
		}
		n := copy(h.buf[len(h.buf):cap(h.buf)], p)
		h.buf = h.buf[:len(h.buf)+n]
		written += n
		p = p[n:]
		if len(h.buf) == cap(h.buf) {
			h.Flush()
		}
	}
	return written, h.err
}

// Flush writes what is buffered. After an error, every Write and Flush
// returns it.
func (h *HugeWriter) Flush() error {
	if h.err != nil || len(h.buf) == 0 {
		return h.err
	}
	n, err := h.w.Write(h.buf)
	if err == nil && n < len(h.buf) {
		err = io.ErrShortWrite
	}
	h.err = err
	h.buf = h.buf[:0]
	return err
}
