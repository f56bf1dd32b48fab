package pgstore

import (
	"fmt"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident/storetest"
)

// TestCursorRoundTrip: every cursor of a stored time (microseconds, UTC)
// reads back as made.
func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []cursor{
		{time.UnixMicro(0).UTC(), 1},
		{time.Date(2026, 3, 1, 8, 0, 0, 123456000, time.UTC), 42},
		{time.UnixMicro(-1).UTC(), 1 << 62},
	} {
		got, err := parseCursor(c.String())
		if err != nil || !got.reported.Equal(c.reported) || got.id != c.id {
			t.Fatalf("%+v: read back %+v, %v", c, got, err)
		}
	}
}

// FuzzCursor: any string (the API's cursor parameter) is either refused
// with a FieldError of field "cursor" or is exactly the form of the
// cursor it reads as.
func FuzzCursor(f *testing.F) {
	storetest.FuzzCursor(f, cursor{time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), 42}.String(), func(s string) (string, error) {
		c, err := parseCursor(s)
		if err == nil && c.id <= 0 {
			return "", fmt.Errorf("%q reads as id %d", s, c.id)
		}
		return c.String(), err
	})
}
