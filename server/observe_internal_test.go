package server

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/gridmap/gridmap/metrics"
)

// TestRedactQuery: every parameter that the server would read as "key"
// has its value replaced; the rest of the query is kept byte for byte.
func TestRedactQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"lon=1&lat=2", "lon=1&lat=2"},
		{"key=s", "key=REDACTED"},
		{"key=", "key=REDACTED"},
		{"key", "key=REDACTED"},
		{"lon=1&key=s&lat=2", "lon=1&key=REDACTED&lat=2"},
		{"key=s&key=t", "key=REDACTED&key=REDACTED"},
		{"lon=1&key=s", "lon=1&key=REDACTED"},
		{"k%65y=s&lon=1", "k%65y=REDACTED&lon=1"},
		{"%6B%65%79=s", "%6B%65%79=REDACTED"},
		{"keys=1&apikey=2&key_=3&monkey=4", "keys=1&apikey=2&key_=3&monkey=4"},
		{"lon=1&&key=s&", "lon=1&&key=REDACTED&"},
		{"k%zzy=s", "k%zzy=s"}, // not a valid escape: the server refuses it, nothing to hide
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := redactQuery(tt.in)
			if got != tt.want {
				t.Errorf("redactQuery(%q) = %q, want %q", tt.in, got, tt.want)
			}
			// whatever Go's parser reads as key is hidden
			if v, err := url.ParseQuery(got); err == nil {
				for _, k := range v["key"] {
					if k != "REDACTED" {
						t.Errorf("redactQuery(%q) = %q leaves key %q", tt.in, got, k)
					}
				}
			}
		})
	}
}

// TestImportOutcome names the outcome of each answer runImport gives.
func TestImportOutcome(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   any
		want   string
	}{
		{"published", http.StatusCreated, map[string]any{"status": "published"}, metrics.ImportPublished},
		{"dry run", http.StatusOK, map[string]any{"status": "checked"}, metrics.ImportDryRun},
		{"rejected", http.StatusUnprocessableEntity, &Error{Status: 422, Code: "import_rejected"}, metrics.ImportRejected},
		{"unreadable", http.StatusBadRequest, &Error{Status: 400, Code: "import_rejected"}, metrics.ImportRejected},
		{"bad option", http.StatusBadRequest, &Error{Status: 400, Code: "bad_parameter"}, metrics.ImportFailed},
		{"unservable", http.StatusUnprocessableEntity, &Error{Status: 422, Code: "unservable"}, metrics.ImportFailed},
		{"internal", http.StatusInternalServerError, &Error{Status: 500, Code: "internal"}, metrics.ImportFailed},
	}
	for _, tt := range tests {
		if got := importOutcome(tt.status, tt.body); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}
