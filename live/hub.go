// Package live fans the incident events out to the wall's streams (GET
// /api/v1/stream): a Hub keeps the latest events in a ring so that a
// client reconnecting with Last-Event-ID resumes where it left off. It
// knows nothing of HTTP.
//
// The policy, bounded in memory and in time:
//   - Events are gathered into batches of Gather (the first event of a
//     batch starts its clock); a sealed batch wakes every subscriber once,
//     and each encoding of it (a stream's masking form) is made once and
//     written by every stream of that form: fifty walls at 2,000 reports a
//     second cost one wakeup and one write per stream every Gather, not
//     two channel sends, two writes and two wakeups a report each.
//   - Publish never blocks. A subscriber more than SubscriberBuffer events
//     behind when a batch is sealed is dropped (Next says so), and its
//     client, reconnecting with the cursor of the last event it got,
//     resumes from the ring. The hub holds the batches of the last
//     SubscriberBuffer events at most; a stalled stream holds only the
//     batch it is writing.
//   - A resume whose cursor is no longer in the ring (older than the last
//     ring events, or from before the process started) cannot be made
//     exact: Subscribe says so, and the stream tells the client to reload
//     (a reset event) instead of silently skipping events.
package live

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gridmap/gridmap/incident"
)

// SubscriberBuffer is how many events a subscriber may fall behind before
// it is dropped: at 2,000 incidents a second (each an incident and a
// counts event) a client has a second to take them.
const SubscriberBuffer = 4096

// Gather is how long a batch gathers events before it is sealed and sent:
// the wall sees an event at most this much later (plus the write).
const Gather = 25 * time.Millisecond

// Hub fans events out to subscribers; an incident.Publisher. It is safe
// for concurrent use.
type Hub struct {
	mu sync.Mutex
	// ring holds the last len(ring) events; next is where the next one
	// goes, n how many it holds.
	ring    []Event
	next, n int
	// total counts the events ever published: the position after the
	// newest. open holds the events of the batch being gathered, sealed
	// the sealed batches of the last SubscriberBuffer events, oldest
	// first; timer seals open.
	total  uint64
	open   []Event
	sealed []*Batch
	timer  *time.Timer
	// ready is closed, and replaced, when a batch is sealed.
	ready  chan struct{}
	subs   map[*Subscription]struct{}
	closed bool
}

// NewHub returns a hub that keeps the last ring events (at least 1).
func NewHub(ring int) *Hub {
	return &Hub{ring: make([]Event, max(ring, 1)), subs: map[*Subscription]struct{}{}, ready: make(chan struct{})}
}

// Cursor returns the stream id of e, what a client resumes after: the
// event's ID for an incident or a transition (the Seq of its transition,
// unique), the ID and "c" for a counts event ("41c": the counts that went
// with transition 41), so that every event of the stream has its own.
func Cursor(e incident.Event) string {
	id := strconv.FormatUint(e.ID, 10)
	if e.Kind == incident.EventCounts {
		return id + "c"
	}
	return id
}

// ValidCursor reports whether s has the form of a Cursor.
func ValidCursor(s string) bool {
	s = strings.TrimSuffix(s, "c")
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// Publish adds e to the ring and to the batch being gathered, sealed a
// Gather after its first event; it never blocks.
func (h *Hub) Publish(e incident.Event) {
	en := Event{Event: e, Cursor: Cursor(e), enc: &encodings{}}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.ring[h.next] = en
	h.next = (h.next + 1) % len(h.ring)
	h.n = min(h.n+1, len(h.ring))
	h.total++
	h.open = append(h.open, en)
	if len(h.open) == 1 {
		if h.timer == nil {
			h.timer = time.AfterFunc(Gather, h.Seal)
		} else {
			h.timer.Reset(Gather)
		}
	}
}

// Seal sends the events gathered so far now (a batch of them), without
// waiting for the rest of Gather; nothing when none is gathered.
func (h *Hub) Seal() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || len(h.open) == 0 {
		return
	}
	b := &Batch{first: h.total - uint64(len(h.open)), events: h.open}
	h.open = nil
	h.sealed = append(h.sealed, b)
	// keep the batches a subscriber may still take; drop the subscribers
	// further behind
	cut := 0
	for cut < len(h.sealed) && h.total-h.sealed[cut].end() > SubscriberBuffer {
		cut++
	}
	clear(h.sealed[:cut])
	h.sealed = h.sealed[cut:]
	for s := range h.subs {
		if h.total-s.pos > SubscriberBuffer {
			h.drop(s)
		}
	}
	close(h.ready)
	h.ready = make(chan struct{})
}

// drop ends s; h.mu is held.
func (h *Hub) drop(s *Subscription) {
	delete(h.subs, s)
	s.ended = true
}

// Subscribe starts a subscription to the events published from now on.
// When after is not empty (a client's Last-Event-ID) it also returns the
// events of the ring that came after the event of that cursor, in the
// order they were published, and resumed reports whether that was
// possible: false when the cursor is not in the ring (too old, or from
// before this process), and the client must then reload what it shows.
// The backlog and the subscription meet exactly: no event is in both,
// none between them is missed.
func (h *Hub) Subscribe(after string) (backlog []Event, sub *Subscription, resumed bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	sub = &Subscription{hub: h, pos: h.total, ended: h.closed}
	if !h.closed {
		h.subs[sub] = struct{}{}
	}
	if after == "" {
		return nil, sub, true
	}
	// newest first: the cursor was most likely sent a moment ago
	for i := 1; i <= h.n; i++ {
		at := (h.next - i + len(h.ring)) % len(h.ring)
		if h.ring[at].Cursor != after {
			continue
		}
		backlog = make([]Event, 0, i-1)
		for j := i - 1; j >= 1; j-- {
			backlog = append(backlog, h.ring[(h.next-j+len(h.ring))%len(h.ring)])
		}
		return backlog, sub, true
	}
	return nil, sub, false
}

// Event is an event with its cursor, as a subscription gives it.
type Event struct {
	incident.Event
	Cursor string
	// enc is shared by the copies of a published event (Encoded).
	enc *encodings
}

// Close ends every subscription, now and later (the server is shutting
// down), and wakes them.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	if h.timer != nil {
		h.timer.Stop()
	}
	for s := range h.subs {
		h.drop(s)
	}
	close(h.ready)
}

// Subscribers returns how many subscriptions are open.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}
