package server

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/gridmap/gridmap/incident"
)

// TestIncidentErrorStatuses: the incident service's errors, wrapped as
// the service and its stores wrap them, become their statuses and codes.
func TestIncidentErrorStatuses(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
		code   string
	}{
		{incident.ErrNotFound, http.StatusNotFound, "not_found"},
		{incident.ErrConflict, http.StatusConflict, "conflict"},
		{incident.ErrOutside, http.StatusUnprocessableEntity, "outside"},
		{incident.ErrUnavailable, http.StatusServiceUnavailable, "store_unavailable"},
	} {
		err := fmt.Errorf("report 12345/市容环境: create incident: %w: dial tcp: connection refused", tc.err)
		if e := httpError(err); e.Status != tc.status || e.Code != tc.code {
			t.Errorf("%v: %d %s, want %d %s", tc.err, e.Status, e.Code, tc.status, tc.code)
		}
	}
}
