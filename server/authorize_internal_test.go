package server

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/auth"
	"github.com/labstack/echo/v4"
)

// TestPrincipalOf: the handler behind authorize finds the caller with
// principalOf when a valid credential came (in the header or ?key=), and
// nil for an anonymous caller or on an open route, whose credentials are
// not looked at.
func TestPrincipalOf(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	keys, err := auth.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := keys.Add("hotline", auth.RoleReader)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{keys: keys}
	tests := []struct {
		name   string
		access access
		url    string
		header string
		want   string // the principal's name; "" for nil
	}{
		{"anonymous", accessRead, "/x", "", ""},
		{"bearer", accessRead, "/x", "Bearer " + tok, "hotline"},
		{"query key", accessRead, "/x?a=1&key=" + tok, "", "hotline"},
		{"open route", accessOpen, "/x", "Bearer " + tok, ""},
	}
	e := echo.New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *auth.Principal
			called := false
			h := s.authorize(route{method: http.MethodGet, access: tt.access}, func(c echo.Context) error {
				got, called = principalOf(c), true
				return nil
			})
			req := httptest.NewRequest(http.MethodGet, tt.url, nil)
			if tt.header != "" {
				req.Header.Set(echo.HeaderAuthorization, tt.header)
			}
			if err := h(e.NewContext(req, httptest.NewRecorder())); err != nil || !called {
				t.Fatalf("refused: %v", err)
			}
			if name := ""; got != nil || tt.want != "" {
				if got != nil {
					name = got.Name
				}
				if name != tt.want {
					t.Errorf("principalOf = %+v, want %q", got, tt.want)
				}
			}
		})
	}
}

// TestQueryValue reads the key parameter of raw query strings.
func TestQueryValue(t *testing.T) {
	tests := []struct {
		raw, want string
		ok        bool
	}{
		{"key=gm_abc", "gm_abc", true},
		{"lon=1&key=gm_abc&lat=2", "gm_abc", true},
		{"key=a&key=b", "a", true},
		{"key=", "", true},
		{"key", "", true},
		{"key=gm%5Fa%2Bb", "gm_a+b", true},
		{"akey=x&keys=y", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got, ok := queryValue(tt.raw, "key"); got != tt.want || ok != tt.ok {
			t.Errorf("queryValue(%q) = %q, %v, want %q, %v", tt.raw, got, ok, tt.want, tt.ok)
		}
	}
}
