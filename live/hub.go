// Package live fans the incident events out to the wall's streams (GET
// /api/v1/stream): a Hub keeps the latest events in a ring so that a
// client reconnecting with Last-Event-ID resumes where it left off. It
// knows nothing of HTTP.
//
// The policy, bounded in memory and in time:
//   - Publish never blocks: each subscriber has a buffered channel of
//     SubscriberBuffer events; a subscriber that falls that far behind is
//     dropped (its channel is closed), and its client, reconnecting with
//     the cursor of the last event it got, resumes from the ring.
//   - A resume whose cursor is no longer in the ring (older than the last
//     ring events, or from before the process started) cannot be made
//     exact: Subscribe says so, and the stream tells the client to reload
//     (a reset event) instead of silently skipping events.
package live

import (
	"strconv"
	"strings"
	"sync"

	"github.com/gridmap/gridmap/incident"
)

// SubscriberBuffer is how many events a subscriber may fall behind before
// it is dropped: at 2,000 incidents a second (each an incident and a
// counts event) a client has a second to take them.
const SubscriberBuffer = 4096

// Hub fans events out to subscribers; an incident.Publisher. It is safe
// for concurrent use.
type Hub struct {
	mu sync.Mutex
	// ring holds the last len(ring) events; next is where the next one
	// goes, n how many it holds.
	ring    []Event
	next, n int
	subs    map[*Subscription]struct{}
	closed  bool
}

// NewHub returns a hub that keeps the last ring events (at least 1).
func NewHub(ring int) *Hub {
	return &Hub{ring: make([]Event, max(ring, 1)), subs: map[*Subscription]struct{}{}}
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

// Publish adds e to the ring and sends it to every subscriber; it never
// blocks: a subscriber whose buffer is full is dropped.
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
	for s := range h.subs {
		select {
		case s.ch <- en:
		default:
			h.drop(s)
		}
	}
}

// Subscription is one stream's share of the events.
type Subscription struct {
	hub *Hub
	ch  chan Event
}

// Events returns the channel of the events published after Subscribe. It
// is closed when the subscription ends: dropped as too slow (the client
// should reconnect with the cursor of the last event it got), closed, or
// the hub closed.
func (s *Subscription) Events() <-chan Event { return s.ch }

// Close ends the subscription.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	if _, ok := s.hub.subs[s]; ok {
		s.hub.drop(s)
	}
}

// drop ends s; h.mu is held.
func (h *Hub) drop(s *Subscription) {
	delete(h.subs, s)
	close(s.ch)
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
	sub = &Subscription{hub: h, ch: make(chan Event, SubscriberBuffer)}
	if h.closed {
		close(sub.ch)
	} else {
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
// down).
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for s := range h.subs {
		h.drop(s)
	}
}

// Subscribers returns how many subscriptions are open.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}
