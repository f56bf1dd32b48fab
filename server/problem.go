package server

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// problemTypePrefix starts the type URI of every problem document: the
// kind's code follows ("urn:gridmap:problem:bad_parameter").
const problemTypePrefix = "urn:gridmap:problem:"

// problemContentType is the media type of problem documents (RFC 9457).
const problemContentType = "application/problem+json"

// problemTitles holds the fixed human title of each kind of problem, by its
// code. A code not listed takes the text of its HTTP status as its title.
var problemTitles = map[string]string{
	"bad_parameter":          "Bad parameter",
	"unknown_parameter":      "Unknown parameter",
	"bad_body":               "Bad request body",
	"bad_input":              "Bad point in a batch",
	"unknown_member":         "Unknown member in the request body",
	"not_found":              "Not found",
	"method_not_allowed":     "Method not allowed",
	"too_large":              "Request too large",
	"unsupported_media_type": "Unsupported media type",
	"unsupported_encoding":   "Unsupported content encoding",
	"header_too_large":       "Request header too large",
	"bad_request":            "Malformed request",
	"bad_version":            "Malformed version id",
	"version_not_found":      "Version not found",
	"version_not_active":     "Version not served",
	"unservable":             "Version cannot be served",
	"no_version":             "No version served",
	"store_unavailable":      "Store unreachable",
	"unauthorized":           "Credentials required",
	"forbidden":              "Not permitted",
	"admin_disabled":         "Administration disabled",
	"rate_limited":           "Too many requests",
	"overloaded":             "Server busy",
	"insufficient_storage":   "Insufficient storage",
	"timeout":                "Request timed out",
	"range_not_satisfiable":  "Range not satisfiable",
	"precondition_failed":    "Precondition failed",
	"no_file":                "No file to import",
	"bad_import":             "Import request refused",
	"import_rejected":        "Import rejected",
	"internal":               "Internal error",
	"invalid_field":          "Invalid field",
	"unknown_field":          "Unknown field in the request body",
	"outside":                "Point outside every grid",
	"not_allowed":            "Step not allowed in this status",
	"conflict":               "Changed meanwhile",
	"no_staff":               "Key belongs to no staff",
	"no_incidents":           "Incidents not served",
}

// problemTitle returns the title of the kind code at HTTP status status.
func problemTitle(code string, status int) string {
	if t, ok := problemTitles[code]; ok {
		return t
	}
	if t := http.StatusText(status); t != "" {
		return t
	}
	return "Error"
}

// problem is a problem document (RFC 9457) as gridmap sends it: the
// standard members, then the extension members clients read ("code" is the
// kind, kept for clients of the older error shape). Optional members are
// left out when not set.
type problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	Code      string `json:"code"`
	RequestID string `json:"request_id,omitempty"`
	Param     string `json:"param,omitempty"`
	Index     *int   `json:"index,omitempty"`
	Line      int    `json:"line,omitempty"`
	Field     string `json:"field,omitempty"`
	Limit     string `json:"limit,omitempty"`
	// ext holds further extension members of a kind (an import's report),
	// written after the others; their names must not be the ones above.
	ext map[string]any
}

// newProblem returns the problem document of e, which happened at the URL
// path instance (never the query: it may hold an API key) in the request of
// id requestID ("" when not known).
func newProblem(e *Error, instance, requestID string) *problem {
	return &problem{
		Type:      problemTypePrefix + e.Code,
		Title:     problemTitle(e.Code, e.Status),
		Status:    e.Status,
		Detail:    e.Message,
		Instance:  instance,
		Code:      e.Code,
		RequestID: requestID,
		Param:     e.Param,
		Index:     e.Index,
		Line:      e.Line,
		Field:     e.Field,
		Limit:     e.Limit,
		ext:       e.Ext,
	}
}

// MarshalJSON writes the members of p, then those of p.ext.
func (p *problem) MarshalJSON() ([]byte, error) {
	type plain problem // without this method
	b, err := json.Marshal((*plain)(p))
	if err != nil || len(p.ext) == 0 {
		return b, err
	}
	ext, err := json.Marshal(p.ext)
	if err != nil {
		return nil, err
	}
	// {"type":…} + {"report":…} → {"type":…,"report":…}
	b = append(b[:len(b)-1], ',')
	return append(b, ext[1:]...), nil
}

// encode returns p as JSON, ending in a newline.
func (p *problem) encode() []byte {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(p); err != nil {
		// only an extension member can fail to encode: send the rest
		p.ext = nil
		buf.Reset()
		_ = json.NewEncoder(&buf).Encode(p)
	}
	return buf.Bytes()
}
