package live_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

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

// take waits for the next batches of sub and returns their events; ok
// is false when the subscription has ended.
func take(sub *live.Subscription) (evs []live.Event, ok bool) {
	for {
		segs, wake, ok := sub.Next()
		if !ok {
			return nil, false
		}
		for _, g := range segs {
			evs = append(evs, g.Events()...)
		}
		if len(evs) > 0 {
			return evs, true
		}
		<-wake
	}
}

// TestResumeExact: a client that drops its subscription at random moments
// (or is dropped as too slow) and resubscribes with the cursor of the last
// event it got receives every
// published event exactly once, in order, while a publisher publishes
// (and seals batches) concurrently.
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
	// the first event is taken before the publisher races ahead: a client
	// dropped before its first event has no cursor to resume after
	h.Publish(all[0])
	h.Seal()
	got, ok := take(sub)
	if !ok || len(got) != 1 {
		t.Fatalf("the first event: %d events, subscription open %v", len(got), ok)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i, e := range all[1:] {
			h.Publish(e)
			if i%7 == 0 || i == len(all)-2 {
				h.Seal()
			}
		}
	}()
	reconnects := 0
	for len(got) < len(all) {
		evs, ok := take(sub)
		got = append(got, evs...)
		if (!ok || rng.IntN(50) == 0) && len(got) > 0 { // dropped as too slow, or gone away
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
// order, batches sealed by the hub's own clock, with subscribers coming
// and going meanwhile (run with -race).
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
			for j := 0; j < n; {
				evs, ok := take(sub)
				if !ok {
					errs <- fmt.Errorf("subscriber %d: ended after %d events", i, j)
					return
				}
				for _, e := range evs {
					if e.Event.ID != all[j].ID || e.Kind != all[j].Kind {
						errs <- fmt.Errorf("subscriber %d: event %d = %s, want %s", i, j, e.Cursor, live.Cursor(all[j]))
						return
					}
					j++
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
	for i, e := range all {
		h.Publish(e)
		if i%500 == 0 {
			time.Sleep(time.Millisecond) // let some batches be sealed by the clock
		}
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

// TestSlowDropped: a subscriber that takes nothing never blocks Publish;
// it is dropped once more than SubscriberBuffer events wait for it, and
// the hub keeps no batch older than that.
func TestSlowDropped(t *testing.T) {
	h := live.NewHub(10)
	_, slow, _ := h.Subscribe("")
	_, fast, _ := h.Subscribe("")
	all := events(live.SubscriberBuffer + 10)
	got := 0
	for _, e := range all {
		h.Publish(e) // would deadlock if Publish blocked on slow
		h.Seal()
		evs, ok := take(fast)
		if !ok || len(evs) != 1 {
			t.Fatalf("the fast subscriber got %d events, ok %v", len(evs), ok)
		}
		got++
	}
	if h.Subscribers() != 1 {
		t.Errorf("%d subscribers, want the fast one", h.Subscribers())
	}
	if _, _, ok := slow.Next(); ok {
		t.Error("the slow subscriber was not dropped")
	}
	fast.Close()
	fast.Close() // twice is harmless
}

// TestJoinedShared: every subscription of a batch gets the frames of one
// encoding per key, made once, and one that began while the batch was
// gathered gets only the frames of the events after it.
func TestJoinedShared(t *testing.T) {
	h := live.NewHub(10)
	_, a, _ := h.Subscribe("")
	_, b, _ := h.Subscribe("")
	all := events(4)
	h.Publish(all[0])
	h.Publish(all[1])
	_, late, _ := h.Subscribe("")
	h.Publish(all[2])
	h.Publish(all[3])
	h.Seal()
	calls := 0
	frame := func(e live.Event) ([]byte, error) {
		calls++
		if e.Kind == incident.EventCounts {
			return nil, nil // left out
		}
		return []byte(e.Cursor + ";"), nil
	}
	seg := func(sub *live.Subscription) live.Segment {
		segs, _, ok := sub.Next()
		if !ok || len(segs) != 1 {
			t.Fatalf("%d segments, ok %v", len(segs), ok)
		}
		return segs[0]
	}
	sa, sb, sl := seg(a), seg(b), seg(late)
	for _, tt := range []struct {
		seg  live.Segment
		key  string
		want string
	}{
		{sa, "x", "1;2;"}, {sb, "x", "1;2;"}, {sl, "x", "2;"}, {sa, "y", "1;2;"}, {sl, "y", "2;"},
	} {
		got, err := tt.seg.Joined(tt.key, frame)
		if err != nil || string(got) != tt.want {
			t.Errorf("Joined(%q) = %q, %v; want %q", tt.key, got, err, tt.want)
		}
	}
	if calls != 8 {
		t.Errorf("%d frames made for 2 keys of 4 events", calls)
	}
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
	_, wake, _ := a.Next()
	h.Close()
	<-wake // Close wakes the waiting
	if _, _, ok := a.Next(); ok {
		t.Error("a subscription outlived the hub")
	}
	_, b, _ := h.Subscribe("")
	h.Publish(incident.Event{ID: 1, Kind: incident.EventIncident})
	h.Seal()
	if _, _, ok := b.Next(); ok {
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
			for {
				if _, ok := take(s); !ok {
					return
				}
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
