package incidents_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/tiles/incidents"
)

func TestParseStatuses(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []incident.Status
		err  string
	}{
		{"", nil, ""},
		{"reported", []incident.Status{incident.Reported}, ""},
		{"reported, closed,,", []incident.Status{incident.Reported, incident.Closed}, ""},
		{"reported,lost", nil, `status "lost" (item 2 of the list)`},
		{"Closed", nil, `status "Closed" (item 1`},
	} {
		got, err := incidents.ParseStatuses(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want one with %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	if got := incidents.ParseCategories(" 治安,,市容环境 "); !slices.Equal(got, []string{"治安", "市容环境"}) {
		t.Errorf("ParseCategories: %q", got)
	}
}

// FuzzParseStatuses checks that any query value gives either valid
// statuses, each named in the value, or an error; never a panic.
func FuzzParseStatuses(f *testing.F) {
	for _, s := range []string{"", "reported", "reported,closed", " handled ,", "lost", ",,,", "报告"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := incidents.ParseStatuses(s)
		if err != nil {
			if got != nil {
				t.Fatalf("%q: statuses %v with error %v", s, got, err)
			}
			return
		}
		for _, st := range got {
			if !st.Valid() || !strings.Contains(s, string(st)) {
				t.Fatalf("%q: status %q", s, st)
			}
		}
	})
}
