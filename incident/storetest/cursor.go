package storetest

import (
	"errors"
	"testing"

	"github.com/gridmap/gridmap/incident"
)

// FuzzCursor fuzzes a store's cursor parser, seeded with example (a
// cursor's form) and strings no listing makes: parse returns the form of
// the cursor s reads as (its String), or its error; see CheckCursor.
func FuzzCursor(f *testing.F, example string, parse func(s string) (string, error)) {
	for _, s := range []string{example, "", "AAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAB", "%%%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		form, err := parse(s)
		CheckCursor(t, s, form, err)
	})
}

// CheckCursor is the property of a store's listing cursors that its fuzz
// test checks on any string s (the API's cursor parameter): parsing s
// either failed with a FieldError of field "cursor" (err), or s is
// exactly form, the String of the cursor it read as.
func CheckCursor(t *testing.T, s, form string, err error) {
	t.Helper()
	if err != nil {
		var fe *incident.FieldError
		if !errors.As(err, &fe) || fe.Field != "cursor" {
			t.Fatalf("%q: %v, not a FieldError of cursor", s, err)
		}
		return
	}
	if form != s {
		t.Fatalf("%q reads as a cursor whose form is %q", s, form)
	}
}
