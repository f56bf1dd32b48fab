package server

import (
	"encoding/json"
	"net/http"
	"testing"
)

// ProblemDoc is a problem document as the server sends it (RFC 9457 and
// gridmap's extension members).
type ProblemDoc struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Instance  string `json:"instance"`
	Code      string `json:"code"`
	RequestID string `json:"request_id"`
	Param     string `json:"param"`
	Index     *int   `json:"index"`
	Line      int    `json:"line"`
	Field     string `json:"field"`
	Limit     string `json:"limit"`
}

// ProblemOf returns the problem document of an answer of status code,
// header h and body b, or an error saying how it is not a whole one: the
// media type application/problem+json, the type URI of its code, a title, a
// detail, and the status of the answer.
func ProblemOf(code int, h http.Header, b []byte) (ProblemDoc, error) {
	var p ProblemDoc
	if ct := h.Get("Content-Type"); ct != "application/problem+json" {
		return p, &docError{"Content-Type " + ct}
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, err
	}
	switch {
	case p.Code == "" || p.Type != "urn:gridmap:problem:"+p.Code:
		return p, &docError{"type " + p.Type + " of code " + p.Code}
	case p.Title == "" || p.Detail == "":
		return p, &docError{"no title or detail"}
	case p.Status != code:
		return p, &docError{"status member differs from the answer's"}
	}
	return p, nil
}

type docError struct{ msg string }

func (e *docError) Error() string { return "not a problem document: " + e.msg }

// MustProblem is ProblemOf for a test: it fails t when the answer is not a
// problem document of status want.
func MustProblem(t testing.TB, want, code int, h http.Header, b []byte) ProblemDoc {
	t.Helper()
	if code != want {
		t.Fatalf("status %d, want %d: %s", code, want, b)
	}
	p, err := ProblemOf(code, h, b)
	if err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return p
}
