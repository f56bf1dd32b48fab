package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
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

// TestProblemDocument: the members of a problem document, optional ones
// only when set, extension members after them, and the request id the
// observe middleware left in the answer's X-Request-ID header.
func TestProblemDocument(t *testing.T) {
	three := 3
	for _, tc := range []struct {
		name  string
		e     *Error
		reqID string
		want  string
	}{
		{"bare", &Error{Status: 404, Code: "not_found", Message: "no such file"}, "",
			`{"type":"urn:gridmap:problem:not_found","title":"Not found","status":404,"detail":"no such file","instance":"/x","code":"not_found"}`},
		{"every member", &Error{Status: 400, Code: "bad_input", Message: "m", Param: "lat", Index: &three, Line: 4, Field: "f", Limit: "limits.l"}, "r1",
			`{"type":"urn:gridmap:problem:bad_input","title":"Bad point in a batch","status":400,"detail":"m","instance":"/x","code":"bad_input","request_id":"r1","param":"lat","index":3,"line":4,"field":"f","limit":"limits.l"}`},
		{"index 0", &Error{Status: 400, Code: "bad_input", Message: "m", Index: new(int)}, "",
			`{"type":"urn:gridmap:problem:bad_input","title":"Bad point in a batch","status":400,"detail":"m","instance":"/x","code":"bad_input","index":0}`},
		{"extension", &Error{Status: 422, Code: "import_rejected", Message: "m", Ext: map[string]any{"active": "v1"}}, "",
			`{"type":"urn:gridmap:problem:import_rejected","title":"Import rejected","status":422,"detail":"m","instance":"/x","code":"import_rejected","active":"v1"}`},
		{"kind without a title", &Error{Status: 409, Code: "odd", Message: "m"}, "",
			`{"type":"urn:gridmap:problem:odd","title":"Conflict","status":409,"detail":"m","instance":"/x","code":"odd"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := echo.New()
			rec := httptest.NewRecorder()
			c := e.NewContext(httptest.NewRequest(http.MethodGet, "/x?key=secret", nil), rec)
			if tc.reqID != "" {
				c.Response().Header().Set(echo.HeaderXRequestID, tc.reqID)
			}
			s := &Server{}
			if err := s.writeProblem(c, tc.e); err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(rec.Body.String()); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if rec.Code != tc.e.Status || rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
			}
		})
	}
}
