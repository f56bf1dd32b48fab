package live

import (
	"sort"
	"sync"
)

// Batch is the events published during one Gather, as every subscriber
// gets them; sealed, it never changes.
type Batch struct {
	first  uint64 // the position of events[0] among all published
	events []Event
	mu     sync.Mutex
	joined map[string]*joined
}

// end returns the position after the batch's last event.
func (b *Batch) end() uint64 { return b.first + uint64(len(b.events)) }

// joined is one encoding of a whole batch: the frames of its events one
// after the other, ends[i] where event i's frame ends.
type joined struct {
	once sync.Once
	buf  []byte
	ends []int
	err  error
}

// Segment is what one subscription takes of a batch: its events from the
// one at From (a subscription that began while the batch was gathered
// skips those before it).
type Segment struct {
	Batch *Batch
	From  int
}

// Events returns the segment's events, which the caller must not change.
func (g Segment) Events() []Event { return g.Batch.events[g.From:] }

// Joined returns the frames of the segment's events one after the other,
// frame(e) giving event e's (nil to leave it out). The whole batch is
// framed once per key, by the first stream asking, and every stream of
// the same key gets the same bytes (which it must not change): key must
// name everything frame's answer depends on, such as the stream's
// masking form and layer.
func (g Segment) Joined(key string, frame func(Event) ([]byte, error)) ([]byte, error) {
	b := g.Batch
	b.mu.Lock()
	if b.joined == nil {
		b.joined = map[string]*joined{}
	}
	j, ok := b.joined[key]
	if !ok {
		j = &joined{}
		b.joined[key] = j
	}
	b.mu.Unlock()
	j.once.Do(func() {
		j.ends = make([]int, len(b.events))
		for i, e := range b.events {
			f, err := frame(e)
			if err != nil {
				j.err = err
				return
			}
			j.buf = append(j.buf, f...)
			j.ends[i] = len(j.buf)
		}
	})
	if j.err != nil {
		return nil, j.err
	}
	start := 0
	if g.From > 0 {
		start = j.ends[g.From-1]
	}
	return j.buf[start:], nil
}

// Subscription is one stream's share of the events.
type Subscription struct {
	hub *Hub
	// pos is the position of the next event to take; ended is set when
	// the subscription is dropped or closed. Both under hub.mu.
	pos   uint64
	ended bool
}

// Next returns the segments of the batches sealed since the last Next
// (none at first), oldest first, and a channel closed when the next batch
// is sealed (or the subscription may have ended). ok is false when the
// subscription has ended: dropped as too slow (the client should
// reconnect with the cursor of the last event it got), closed, or the hub
// closed.
func (s *Subscription) Next() (segs []Segment, wake <-chan struct{}, ok bool) {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.ended {
		return nil, nil, false
	}
	first := sort.Search(len(h.sealed), func(i int) bool { return h.sealed[i].end() > s.pos })
	for _, b := range h.sealed[first:] {
		segs = append(segs, Segment{Batch: b, From: int(s.pos - b.first)})
		s.pos = b.end()
	}
	return segs, h.ready, true
}

// Close ends the subscription.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	if _, ok := s.hub.subs[s]; ok {
		s.hub.drop(s)
	}
	s.ended = true
}
