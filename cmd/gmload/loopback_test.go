package main

import "testing"

func TestCheckLoopback(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080/api/v1/lookup", true},
		{"http://127.3.4.5/", true},
		{"http://localhost:1/", true},
		{"http://[::1]:8080/", true},
		{"http://10.0.0.1:8080/", false},
		{"http://example.com/", false},
		{"http://128.0.0.1/", false},
		{"http://[::2]/", false},
		{"https://127.0.0.1/", false},
	} {
		t.Run(tc.url, func(t *testing.T) {
			if err := checkLoopback(tc.url); (err == nil) != tc.ok {
				t.Errorf("checkLoopback(%q) = %v, want ok=%v", tc.url, err, tc.ok)
			}
		})
	}
}

func TestQueryValue(t *testing.T) {
	if got := queryValue("a=1&lon=120.5&lat=31", "lon"); got != "120.5" {
		t.Errorf("lon = %q", got)
	}
	if got := queryValue("lon=1", "lat"); got != "" {
		t.Errorf("lat = %q", got)
	}
}
