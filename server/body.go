package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxJSONBody caps the JSON body of an incident report or action: a report
// is well under 10 KiB (its description capped at maxDescription runes).
const maxJSONBody = 64 << 10

// decodeBody reads the JSON object of body (at most maxJSONBody bytes)
// into dst. A member dst does not know is a 400 unknown_field naming it; a
// member of the wrong type a 400 invalid_field naming it; anything else
// that is no single JSON object a 400 bad_body. An empty body is {} when
// empty is set.
func decodeBody(body io.Reader, dst any, empty bool) error {
	b, err := io.ReadAll(io.LimitReader(body, maxJSONBody+1))
	if err != nil {
		return err
	}
	if len(b) > maxJSONBody {
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
			Message: fmt.Sprintf("the body is larger than %d bytes", maxJSONBody)}
	}
	if empty && len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return bodyError(err)
	}
	if dec.More() {
		return &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "data after the JSON object"}
	}
	return nil
}

// bodyError maps an error of encoding/json to a 400.
func bodyError(err error) *Error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			return &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "the body must be a JSON object"}
		}
		return &Error{Status: http.StatusBadRequest, Code: "invalid_field", Field: field,
			Message: fmt.Sprintf("%s: want a JSON %s, not %s", field, jsonKind(te.Type.Kind().String()), te.Value)}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return &Error{Status: http.StatusBadRequest, Code: "unknown_field", Field: name,
			Message: fmt.Sprintf("unknown member %q", name)}
	}
	return &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "the body is not a JSON object: " + err.Error()}
}

// jsonKind names the JSON type of a Go kind.
func jsonKind(kind string) string {
	switch {
	case strings.HasPrefix(kind, "float"), strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "number"
	case kind == "bool":
		return "boolean"
	case kind == "struct", kind == "map", kind == "ptr":
		return "object"
	case kind == "slice":
		return "array"
	}
	return kind
}
