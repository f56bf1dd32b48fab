package pgstore

import (
	"encoding/base64"
	"encoding/binary"
	"time"

	"github.com/gridmap/gridmap/incident"
)

// cursor is where a listing continues: after the incident of ReportedAt
// reported and ID id, in the listing's order (newest first).
type cursor struct {
	reported time.Time
	id       incident.ID
}

// String is the cursor's opaque form: the report time in Unix
// microseconds and the id, 8 bytes each big-endian, in unpadded URL-safe
// base64.
func (c cursor) String() string {
	b := binary.BigEndian.AppendUint64(nil, uint64(c.reported.UnixMicro()))
	b = binary.BigEndian.AppendUint64(b, uint64(c.id))
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseCursor reads a cursor of String; an error is an
// *incident.FieldError of field "cursor".
func parseCursor(s string) (cursor, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != 16 {
		return cursor{}, badCursor()
	}
	c := cursor{reported: time.UnixMicro(int64(binary.BigEndian.Uint64(b))).UTC(), id: incident.ID(binary.BigEndian.Uint64(b[8:]))}
	if c.id <= 0 {
		return cursor{}, badCursor()
	}
	return c, nil
}

// badCursor is the error of a cursor that no listing made.
func badCursor() error {
	return &incident.FieldError{Field: "cursor", Msg: "not a cursor of this listing (use the next of the previous page)"}
}
