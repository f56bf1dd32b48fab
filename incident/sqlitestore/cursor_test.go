package sqlitestore

import (
	"fmt"
	"testing"

	"github.com/gridmap/gridmap/incident/storetest"
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
	storetest.FuzzCursor(f, cursor{1772352000000000000, 42}.String(), func(s string) (string, error) {
		c, err := parseCursor(s)
		if err == nil && c.id <= 0 {
			return "", fmt.Errorf("%q reads as id %d", s, c.id)
		}
		return c.String(), err
	})
}
