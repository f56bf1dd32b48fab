package sqlitestore

import (
	"errors"
	"testing"

	"github.com/gridmap/gridmap/incident"
)

// TestCursorRoundTrip: every cursor reads back as made.
func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []cursor{{0, 1}, {1772352000000000000, 42}, {-1, 1 << 62}, {1<<63 - 1, 7}} {
		got, err := parseCursor(c.String())
		if err != nil || got != c {
			t.Fatalf("%+v: read back %+v, %v", c, got, err)
		}
	}
}

// FuzzCursor: any string is either refused with a FieldError of field
// "cursor" or is exactly the form of the cursor it reads as.
func FuzzCursor(f *testing.F) {
	f.Add(cursor{1772352000000000000, 42}.String())
	f.Add("")
	f.Add("AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("AAAAAAAAAAAAAAAAAAAAAB")
	f.Add("%%%")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCursor(s)
		if err != nil {
			var fe *incident.FieldError
			if !errors.As(err, &fe) || fe.Field != "cursor" {
				t.Fatalf("%q: %v, not a FieldError of cursor", s, err)
			}
			return
		}
		if c.String() != s || c.id <= 0 {
			t.Fatalf("%q reads as %+v, whose form is %q", s, c, c.String())
		}
	})
}
