package live

import (
	"testing"

	"github.com/gridmap/gridmap/incident"
)

// TestEncodedShared: the copies of a published event share each form's
// encoding, made once per form; an event not published is encoded each
// time.
func TestEncodedShared(t *testing.T) {
	h := NewHub(4)
	_, sub, _ := h.Subscribe("")
	defer sub.Close()
	h.Publish(incident.Event{ID: 1, Kind: incident.EventIncident})
	h.Seal()
	segs, _, _ := sub.Next()
	a := segs[0].Events()[0]
	b := a // another stream's copy
	calls := 0
	mk := func(s string) func() ([]byte, error) {
		return func() ([]byte, error) { calls++; return []byte(s), nil }
	}
	for _, tc := range []struct {
		e    Event
		form int
		want string
	}{
		{a, 0, "masked"}, {b, 0, "masked"}, {b, 1, "plain"}, {a, 1, "plain"}, {a, 0, "masked"},
	} {
		got, err := tc.e.Encoded(tc.form, mk(tc.want))
		if err != nil || string(got) != tc.want {
			t.Fatalf("form %d: %q, %v; want %q", tc.form, got, err, tc.want)
		}
	}
	if calls != 2 {
		t.Fatalf("%d encodings for 2 forms of one event", calls)
	}
	var loose Event
	for range 2 {
		if _, err := loose.Encoded(0, mk("x")); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 4 {
		t.Fatalf("an unpublished event was encoded %d times of 2", calls-2)
	}
}
