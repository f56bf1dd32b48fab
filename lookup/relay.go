package lookup

// relay hands items, in order, to a goroutine of its own that works on
// them, and takes them back to be reused: the caller fills one item while
// the goroutine works on the ones sent before. A batch has two: the lookups
// (blocks of points) and the writing of the answer (buffers of bytes).
// Its methods are for one goroutine, the caller's.
type relay[T any] struct {
	spare   []T
	pending int // sent and not yet taken back
	todo    chan T
	back    chan T
	done    chan struct{}
	// taken runs on the caller's goroutine for each item taken back.
	taken func(T)
}

// newRelay starts the goroutine, which calls work on each item sent; items
// are the relay's whole stock.
func newRelay[T any](items []T, work func(T), taken func(T)) *relay[T] {
	r := &relay[T]{spare: items, todo: make(chan T, len(items)), back: make(chan T, len(items)),
		done: make(chan struct{}), taken: taken}
	go func() {
		defer close(r.done)
		for it := range r.todo {
			work(it)
			r.back <- it
		}
	}()
	return r
}

// take returns an item to fill, waiting for one to come back if none is
// spare.
func (r *relay[T]) take() T {
	if len(r.spare) == 0 {
		r.collect()
	}
	it := r.spare[len(r.spare)-1]
	r.spare = r.spare[:len(r.spare)-1]
	return it
}

// send hands it to the goroutine; it returns at once.
func (r *relay[T]) send(it T) {
	r.todo <- it
	r.pending++
}

// drain waits until every item sent has been worked on and taken back.
func (r *relay[T]) drain() {
	for r.pending > 0 {
		r.collect()
	}
}

// stop ends the goroutine once it has worked on what was sent.
func (r *relay[T]) stop() {
	close(r.todo)
	<-r.done
	r.drain()
}

func (r *relay[T]) collect() {
	it := <-r.back
	r.pending--
	r.taken(it)
	r.spare = append(r.spare, it)
}
