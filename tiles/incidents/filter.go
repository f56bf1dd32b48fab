package incidents

import (
	"fmt"
	"strings"

	"github.com/gridmap/gridmap/incident"
)

// Filter limits the incidents of a tile; an empty list lets every value
// through.
type Filter struct {
	// Statuses the incidents must have one of.
	Statuses []incident.Status
	// Categories the incidents must have one of (a category no incident
	// has matches nothing; it is no error).
	Categories []string
}

// ParseStatuses reads a comma-separated list of statuses (the status
// query parameter), for example "reported,dispatched". Empty items are
// skipped; an unknown status is an error naming it and its position.
func ParseStatuses(list string) ([]incident.Status, error) {
	var out []incident.Status
	for i, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		st := incident.Status(item)
		if !st.Valid() {
			return nil, fmt.Errorf("status %q (item %d of the list) is not one of %v", item, i+1, incident.Statuses)
		}
		out = append(out, st)
	}
	return out, nil
}

// ParseCategories reads a comma-separated list of categories (the
// category query parameter); empty items are skipped.
func ParseCategories(list string) []string {
	var out []string
	for _, item := range strings.Split(list, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// match is a Filter as numbers of a Source's dictionaries: nil masks let
// everything through.
type match struct {
	status   []bool // by status number
	category []bool // by category number
	none     bool   // a list names nothing the source holds
}

// matcher returns f as a match over s's dictionaries; s.mu is held.
func (s *Source) matcher(f Filter) match {
	var m match
	if len(f.Statuses) > 0 {
		m.status = make([]bool, len(s.stats.names))
		any := false
		for _, st := range f.Statuses {
			if i, ok := s.stats.ids[string(st)]; ok {
				m.status[i], any = true, true
			}
		}
		m.none = !any
	}
	if len(f.Categories) > 0 {
		m.category = make([]bool, len(s.cats.names))
		any := false
		for _, c := range f.Categories {
			if i, ok := s.cats.ids[c]; ok {
				m.category[i], any = true, true
			}
		}
		m.none = m.none || !any
	}
	return m
}

// ok reports whether status and category numbers pass.
func (m *match) ok(status, category uint8) bool {
	return (m.status == nil || m.status[status]) && (m.category == nil || m.category[category])
}
