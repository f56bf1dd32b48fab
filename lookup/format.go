package lookup

import (
	"errors"
	"fmt"
	"mime"
	"strings"
)

// Format is the encoding of a batch, in and out.
type Format int

// Batch formats.
const (
	// JSON in: {"points":[{"id":..,"lon":..,"lat":..},..]}; out:
	// {"version":..,"results":[{"id":..,"chain":[..]},..]} in input order.
	JSON Format = iota
	// NDJSON in: one {"id":..,"lon":..,"lat":..} per line; out: one
	// {"id":..,"version":..,"chain":[..]} per line, streamed.
	NDJSON
	// CSV in: a header id,lon,lat then rows; out: id,lon,lat and one
	// column per layer, finest first, holding the code (empty when none).
	CSV
)

// ErrUnsupportedFormat is returned by ParseFormat for a media type that is
// not a batch format.
var ErrUnsupportedFormat = errors.New("unsupported batch format")

// ParseFormat maps a Content-Type (or Accept) value to a Format: JSON for
// application/json or an empty value, NDJSON for application/x-ndjson (also
// application/ndjson, application/jsonl), CSV for text/csv.
func ParseFormat(contentType string) (Format, error) {
	if strings.TrimSpace(contentType) == "" {
		return JSON, nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrUnsupportedFormat, contentType)
	}
	switch mt {
	case "application/json":
		return JSON, nil
	case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines":
		return NDJSON, nil
	case "text/csv":
		return CSV, nil
	}
	return 0, fmt.Errorf("%w: %q (use application/json, application/x-ndjson or text/csv)", ErrUnsupportedFormat, mt)
}

// ContentType returns the media type of answers in format f.
func (f Format) ContentType() string {
	switch f {
	case NDJSON:
		return "application/x-ndjson"
	case CSV:
		return "text/csv; charset=utf-8"
	}
	return "application/json; charset=utf-8"
}
