package sqlitestore

import (
	"encoding/base64"
	"encoding/binary"

	"github.com/gridmap/gridmap/incident"
)

// cursor is where a listing continues: after the incident of ReportedAt
// (Unix nanoseconds) and ID, in the listing's order (newest first).
type cursor struct {
	reported int64
	id       int64
}

// cursorLen is the length of a cursor's bytes: reported and id, 8 bytes
// each, big-endian.
const cursorLen = 16

// String is the cursor's opaque form: unpadded URL-safe base64.
func (c cursor) String() string {
	var b [cursorLen]byte
	binary.BigEndian.PutUint64(b[:8], uint64(c.reported))
	binary.BigEndian.PutUint64(b[8:], uint64(c.id))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// parseCursor reads a cursor of String; an error is an
// *incident.FieldError of field "cursor".
func parseCursor(s string) (cursor, error) {
	if base64.RawURLEncoding.DecodedLen(len(s)) != cursorLen {
		return cursor{}, badCursor()
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != cursorLen {
		return cursor{}, badCursor()
	}
	c := cursor{reported: int64(binary.BigEndian.Uint64(b[:8])), id: int64(binary.BigEndian.Uint64(b[8:]))}
	if c.id <= 0 {
		return cursor{}, badCursor()
	}
	return c, nil
}

// badCursor is the error of a cursor that no listing made.
func badCursor() error {
	return &incident.FieldError{Field: "cursor", Msg: "not a cursor of this listing (use the next of the previous page)"}
}
