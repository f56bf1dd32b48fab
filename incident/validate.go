package incident

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of a report's text fields, in characters.
const (
	maxLabel       = 64   // category, source
	maxExternalRef = 128  // the source system's own id
	maxDescription = 4000 // a hotline ticket's text
	maxReporter    = 64   // reporter name and phone
)

// futureSlack is how far in the future occurred_at may lie: clocks of
// intake systems drift.
const futureSlack = time.Minute

// checkNew checks a report's fields (not its point: toWGS84 does) and trims
// the surrounding space of its labels, returning the first bad field as a
// *FieldError. Messages never repeat the reporter's name or phone.
func checkNew(in *NewIncident, now time.Time) error {
	in.Category = strings.TrimSpace(in.Category)
	in.Source = strings.TrimSpace(in.Source)
	in.ExternalRef = strings.TrimSpace(in.ExternalRef)
	in.Reporter.Name = strings.TrimSpace(in.Reporter.Name)
	in.Reporter.Phone = strings.TrimSpace(in.Reporter.Phone)
	for _, f := range []struct {
		name, value string
		max         int
		required    bool
	}{
		{"category", in.Category, maxLabel, true},
		{"source", in.Source, maxLabel, true},
		{"external_ref", in.ExternalRef, maxExternalRef, false},
		{"description", in.Description, maxDescription, false},
		{"reporter.name", in.Reporter.Name, maxReporter, false},
		{"reporter.phone", in.Reporter.Phone, maxReporter, false},
	} {
		if msg := checkText(f.value, f.max, f.required, f.name == "description"); msg != "" {
			return &FieldError{Field: f.name, Msg: msg}
		}
	}
	if !in.OccurredAt.IsZero() && in.OccurredAt.After(now.Add(futureSlack)) {
		return &FieldError{Field: "occurred_at", Msg: fmt.Sprintf("%s is in the future (now %s)", in.OccurredAt.Format(time.RFC3339), now.Format(time.RFC3339))}
	}
	return nil
}

// checkText says what is wrong with a text field ("" when nothing): empty
// when required, longer than max characters, not UTF-8, or holding control
// characters (line breaks and tabs only in multiline text).
func checkText(v string, max int, required, multiline bool) string {
	switch {
	case v == "" && required:
		return "required"
	case !utf8.ValidString(v):
		return "not valid UTF-8"
	}
	if n := utf8.RuneCountInString(v); n > max {
		return fmt.Sprintf("%d characters, at most %d", n, max)
	}
	for _, r := range v {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return fmt.Sprintf("control character %U", r)
		}
	}
	return ""
}
