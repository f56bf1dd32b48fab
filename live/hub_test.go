package live_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/live"
)

// events returns n events as the service publishes them: each transition
// (an incident every third) followed by its counts.
func events(n int) []incident.Event {
	out := make([]incident.Event, 0, n)
	for seq := uint64(1); len(out) < n; seq++ {
		kind := incident.EventTransition
		if seq%3 == 1 {
			kind = incident.EventIncident
		}
		out = append(out, incident.Event{ID: seq, Kind: kind})
		if len(out) < n {
			out = append(out, incident.Event{ID: seq, Kind: incident.EventCounts})
		}
	}
	return out
}

func TestCursor(t *testing.T) {
	tests := []struct {
		ev   incident.Event
		want string
	}{
		{incident.Event{ID: 41, Kind: incident.EventIncident}, "41"},
		{incident.Event{ID: 41, Kind: incident.EventTransition}, "41"},
		{incident.Event{ID: 41, Kind: incident.EventCounts}, "41c"},
		{incident.Event{ID: 0, Kind: incident.EventCounts}, "0c"},
	}
	for _, tt := range tests {
		if got := live.Cursor(tt.ev); got != tt.want || !live.ValidCursor(got) {
			t.Errorf("Cursor(%v) = %q (valid %v), want %q", tt.ev, got, live.ValidCursor(got), tt.want)
		}
	}
	for _, bad := range []string{"", "c", "x", "-1", "1cc", "1.5", " 1"} {
		if live.ValidCursor(bad) {
			t.Errorf("ValidCursor(%q) = true", bad)
		}
	}
}

// TestResumeExact: a client that drops its subscription at random moments
// and resubscribes with the cursor of the last event it got receives every
// published event exactly once, in order, while a publisher publishes
// concurrently.
func TestResumeExact(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	all := events(20000)
	h := live.NewHub(len(all)) // the ring holds everything: every resume is possible
	first, sub, _ := h.Subscribe("")
	if first != nil {
		t.Fatalf("a fresh subscription got a backlog of %d", len(first))
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, e := range all {
			h.Publish(e)
		}
	}()
	var got []live.Event
	reconnects := 0
	for len(got) < len(all) {
		e, ok := <-sub.Events()
		if !ok {
			t.Fatal("subscription ended while its reader kept up")
		}
		got = append(got, e)
		if rng.IntN(500) == 0 {
			sub.Close()
			reconnects++
			var backlog []live.Event
			var resumed bool
			backlog, sub, resumed = h.Subscribe(got[len(got)-1].Cursor)
			if !resumed {
				t.Fatalf("resume after %s refused with the whole history in the ring", got[len(got)-1].Cursor)
			}
			got = append(got, backlog...)
		}
	}
	<-done
	sub.Close()
	if len(got) != len(all) {
		t.Fatalf("got %d events, want %d", len(got), len(all))
	}
	for i := range all {
		if got[i].Event.ID != all[i].ID || got[i].Kind != all[i].Kind {
			t.Fatalf("event %d = %d %s, want %d %s (%d reconnects)", i, got[i].ID, got[i].Kind, all[i].ID, all[i].Kind, reconnects)
		}
	}
	t.Logf("%d events over %d reconnects", len(got), reconnects)
}

// TestManySubscribers: every subscriber that keeps up gets every event in
// order, with subscribers coming and going meanwhile (run with -race).
func TestManySubscribers(t *testing.T) {
	const subs, n = 50, 3000
	all := events(n)
	h := live.NewHub(100)
	var wg sync.WaitGroup
	errs := make(chan error, subs)
	ready := make(chan struct{}, subs)
	for i := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, sub, _ := h.Subscribe("")
			defer sub.Close()
			ready <- struct{}{}
			for j := range n {
				e, ok := <-sub.Events()
				if !ok {
					errs <- fmt.Errorf("subscriber %d: ended after %d events", i, j)
					return
				}
				if e.Event.ID != all[j].ID || e.Kind != all[j].Kind {
					errs <- fmt.Errorf("subscriber %d: event %d = %s, want %s", i, j, e.Cursor, live.Cursor(all[j]))
					return
				}
			}
		}()
	}
	for range subs {
		<-ready
	}
	// churn: short-lived subscriptions while publishing
	stop := make(chan struct{})
	var churn sync.WaitGroup
	churn.Add(1)
	go func() {
		defer churn.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			_, s, _ := h.Subscribe("5")
			s.Close()
		}
	}()
	for _, e := range all {
		h.Publish(e)
	}
	wg.Wait()
	close(stop)
	churn.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := h.Subscribers(); got != 0 {
		t.Errorf("%d subscribers left after all closed", got)
	}
}

// TestSlowDropped: a subscriber that reads nothing never blocks Publish;
// it is dropped once SubscriberBuffer events wait, and its channel ends
// after the events it was given.
func TestSlowDropped(t *testing.T) {
	h := live.NewHub(10)
	_, slow, _ := h.Subscribe("")
	_, fast, _ := h.Subscribe("")
	all := events(live.SubscriberBuffer + 10)
	got := 0
	for _, e := range all {
		h.Publish(e) // would deadlock if Publish blocked on slow
		<-fast.Events()
		got++
	}
	if h.Subscribers() != 1 {
		t.Errorf("%d subscribers, want the fast one", h.Subscribers())
	}
	n := 0
	for range slow.Events() {
		n++
	}
	if n != live.SubscriberBuffer {
		t.Errorf("the slow subscriber got %d events before its end, want %d", n, live.SubscriberBuffer)
	}
	fast.Close()
	fast.Close() // twice is harmless
}

// TestResumeRefused: a cursor no longer (or never) in the ring cannot be
// resumed exactly, and Subscribe says so; the subscription still works.
func TestResumeRefused(t *testing.T) {
	h := live.NewHub(4)
	all := events(10)
	for _, e := range all {
		h.Publish(e)
	}
	tests := []struct {
		after   string
		resumed bool
		backlog int
	}{
		{live.Cursor(all[9]), true, 0},
		{live.Cursor(all[6]), true, 3},
		{live.Cursor(all[5]), false, 0}, // fell out of the ring of 4
		{"999", false, 0},               // from before this process
		{"", true, 0},
	}
	for _, tt := range tests {
		backlog, sub, resumed := h.Subscribe(tt.after)
		if resumed != tt.resumed || len(backlog) != tt.backlog {
			t.Errorf("Subscribe(%q) = %d events, resumed %v; want %d, %v", tt.after, len(backlog), resumed, tt.backlog, tt.resumed)
		}
		for i, e := range backlog {
			if want := all[10-tt.backlog+i]; e.Cursor != live.Cursor(want) {
				t.Errorf("Subscribe(%q) backlog[%d] = %s, want %s", tt.after, i, e.Cursor, live.Cursor(want))
			}
		}
		sub.Close()
	}
}

// TestClose: closing the hub ends every subscription, and later ones at
// once; publishing after it is a no-op.
func TestClose(t *testing.T) {
	h := live.NewHub(4)
	_, a, _ := h.Subscribe("")
	h.Close()
	if _, ok := <-a.Events(); ok {
		t.Error("a subscription outlived the hub")
	}
	_, b, _ := h.Subscribe("")
	h.Publish(incident.Event{ID: 1, Kind: incident.EventIncident})
	if _, ok := <-b.Events(); ok {
		t.Error("a subscription after Close got an event")
	}
	a.Close()
}

func BenchmarkPublish50(b *testing.B) {
	h := live.NewHub(10000)
	var wg sync.WaitGroup
	for range 50 {
		_, s, _ := h.Subscribe("")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range s.Events() {
			}
		}()
	}
	b.ReportAllocs()
	for i := range b.N {
		h.Publish(incident.Event{ID: uint64(i), Kind: incident.EventIncident})
	}
	h.Close()
	wg.Wait()
}
