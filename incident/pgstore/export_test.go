package pgstore

import "time"

// Hold stops s's writer before its next batch until release is called;
// call it before the first write of s.
func Hold(s *Store) (release func()) {
	gate := make(chan struct{})
	s.w.pause = func() { <-gate }
	return func() { close(gate) }
}

// WaitQueued waits until n writes are queued to s's writer.
func WaitQueued(s *Store, n int) {
	for {
		s.w.mu.Lock()
		q := len(s.w.queue)
		s.w.mu.Unlock()
		if q >= n {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// Batches returns how many batches s's writer ran and the writes in them.
func Batches(s *Store) (batches, writes int) {
	s.w.mu.Lock()
	defer s.w.mu.Unlock()
	return s.w.batches, s.w.writes
}
