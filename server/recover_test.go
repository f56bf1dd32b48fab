package server

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestRecoverPanics runs handlers wrapped as routes wraps them on a real
// server: a panic becomes a 500 with a JSON body, http.ErrAbortHandler still
// aborts the response, and the server goes on answering.
func TestRecoverPanics(t *testing.T) {
	s := &Server{log: log.New(io.Discard, "", 0)}
	e := echo.New()
	e.HTTPErrorHandler = s.errorHandler
	e.GET("/boom", recoverPanics(func(echo.Context) error { panic("boom") }))
	e.GET("/nil", recoverPanics(func(echo.Context) error {
		var m map[string]int
		m["x"] = 1 // a runtime error
		return nil
	}))
	e.GET("/abort", recoverPanics(func(echo.Context) error { panic(http.ErrAbortHandler) }))
	e.GET("/ok", recoverPanics(func(c echo.Context) error { return c.String(http.StatusOK, "ok") }))
	ts := httptest.NewServer(e)
	defer ts.Close()
	for _, path := range []string{"/boom", "/nil", "/ok", "/boom"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if path == "/ok" {
			if resp.StatusCode != http.StatusOK || string(body) != "ok" {
				t.Errorf("/ok: %d %q", resp.StatusCode, body)
			}
			continue
		}
		if p, err := ProblemOf(resp.StatusCode, resp.Header, body); resp.StatusCode != http.StatusInternalServerError || err != nil || p.Code != "internal" || strings.Contains(p.Detail, "boom") {
			t.Errorf("%s: %d %s, want a 500 problem document of code internal that does not leak the panic (%v)", path, resp.StatusCode, body, err)
		}
	}
	if resp, err := http.Get(ts.URL + "/abort"); err == nil {
		resp.Body.Close()
		t.Errorf("/abort: got a response (%d), want the connection aborted", resp.StatusCode)
	}
	if resp, err := http.Get(ts.URL + "/ok"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/ok after an abort: %v", err)
	} else {
		resp.Body.Close()
	}
}
