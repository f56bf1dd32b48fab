package router

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/gridmap/gridmap/lookup"
	"github.com/paulmach/orb"
)

// errUnread is a batch the router cannot read: the first shard is sent it
// whole, and its 400 (naming the point, line and field) is the answer.
var errUnread = errors.New("batch the router cannot read")

// record is one point of a batch: its text as sent and where it lies, in
// the batch's coordinate system.
type record struct {
	raw []byte
	p   orb.Point
}

// batchIn is a batch read by the router: its records in input order and,
// for CSV, the header line.
type batchIn struct {
	head []byte
	recs []record
}

// readBatch splits body, in format f, into its records.
func readBatch(body []byte, f lookup.Format) (*batchIn, error) {
	switch f {
	case lookup.NDJSON:
		return readNDJSON(body)
	case lookup.CSV:
		return readCSV(body)
	}
	return readJSON(body)
}

// coords are the members of a point the router reads.
type coords struct {
	Lon *json.Number `json:"lon"`
	Lat *json.Number `json:"lat"`
}

// jsonPoint reads a point object's lon and lat.
func jsonPoint(raw []byte) (orb.Point, error) {
	var c coords
	if err := json.Unmarshal(raw, &c); err != nil || c.Lon == nil || c.Lat == nil {
		return orb.Point{}, errUnread
	}
	lon, err1 := c.Lon.Float64()
	lat, err2 := c.Lat.Float64()
	if err1 != nil || err2 != nil {
		return orb.Point{}, errUnread
	}
	return orb.Point{lon, lat}, nil
}

func readNDJSON(body []byte) (*batchIn, error) {
	b := &batchIn{}
	for line := range bytes.Lines(body) {
		text := bytes.TrimSpace(line)
		if len(text) == 0 {
			continue
		}
		p, err := jsonPoint(text)
		if err != nil {
			return nil, err
		}
		b.recs = append(b.recs, record{text, p})
	}
	return b, nil
}

func readJSON(body []byte) (*batchIn, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil || len(doc) != 1 || doc["points"] == nil {
		return nil, errUnread
	}
	var pts []json.RawMessage
	if err := json.Unmarshal(doc["points"], &pts); err != nil {
		return nil, errUnread
	}
	b := &batchIn{recs: make([]record, 0, len(pts))}
	for _, raw := range pts {
		p, err := jsonPoint(raw)
		if err != nil {
			return nil, err
		}
		b.recs = append(b.recs, record{raw, p})
	}
	return b, nil
}

// csvRows splits CSV text into its header and rows, each the text as sent
// (newline included), with the fields of each row.
func csvRows(body []byte) (rows [][]byte, fields [][]string, err error) {
	cr := csv.NewReader(bytes.NewReader(body))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	var at int64
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, fields, nil
		}
		if err != nil {
			return nil, nil, errUnread
		}
		end := cr.InputOffset()
		rows = append(rows, body[at:end])
		fields = append(fields, rec)
		at = end
	}
}

func readCSV(body []byte) (*batchIn, error) {
	rows, fields, err := csvRows(body)
	if err != nil || len(rows) == 0 {
		return nil, errUnread
	}
	lonCol, latCol := -1, -1
	for i, h := range fields[0] {
		switch h {
		case "lon":
			lonCol = i
		case "lat":
			latCol = i
		}
	}
	if lonCol < 0 || latCol < 0 {
		return nil, errUnread
	}
	b := &batchIn{head: withNewline(rows[0]), recs: make([]record, 0, len(rows)-1)}
	for i, row := range rows[1:] {
		f := fields[i+1]
		if len(f) <= max(lonCol, latCol) {
			return nil, errUnread
		}
		p, ok := queryPoint(f[lonCol], f[latCol], "")
		if !ok {
			return nil, errUnread
		}
		b.recs = append(b.recs, record{withNewline(row), p})
	}
	return b, nil
}

// withNewline returns row ending in a newline.
func withNewline(row []byte) []byte {
	if len(row) > 0 && row[len(row)-1] == '\n' {
		return row
	}
	return append(row[:len(row):len(row)], '\n')
}

// encode writes the records of one shard as a batch in format f.
func (b *batchIn) encode(f lookup.Format, idx []int) []byte {
	var out bytes.Buffer
	switch f {
	case lookup.NDJSON:
		for _, i := range idx {
			out.Write(b.recs[i].raw)
			out.WriteByte('\n')
		}
	case lookup.CSV:
		out.Write(b.head)
		for _, i := range idx {
			out.Write(b.recs[i].raw)
		}
	default:
		out.WriteString(`{"points":[`)
		for k, i := range idx {
			if k > 0 {
				out.WriteByte(',')
			}
			out.Write(b.recs[i].raw)
		}
		out.WriteString("]}\n")
	}
	return out.Bytes()
}

// answers splits a shard's answer, in format f, into one answer per point
// (for CSV, head is the header line); want is the number of points sent.
func answers(body []byte, f lookup.Format, want int) (head []byte, version string, each [][]byte, err error) {
	switch f {
	case lookup.NDJSON:
		for line := range bytes.Lines(body) {
			if t := bytes.TrimSpace(line); len(t) > 0 {
				each = append(each, t)
			}
		}
	case lookup.CSV:
		rows, _, e := csvRows(body)
		if e != nil || len(rows) == 0 {
			return nil, "", nil, fmt.Errorf("unreadable CSV answer")
		}
		head, each = rows[0], rows[1:]
	default:
		var doc struct {
			Version string            `json:"version"`
			Results []json.RawMessage `json:"results"`
			Error   json.RawMessage   `json:"error"`
		}
		if e := json.Unmarshal(body, &doc); e != nil {
			return nil, "", nil, fmt.Errorf("unreadable JSON answer: %w", e)
		}
		if doc.Error != nil {
			return nil, "", nil, fmt.Errorf("error: %s", doc.Error)
		}
		version = doc.Version
		for _, r := range doc.Results {
			each = append(each, r)
		}
	}
	if len(each) != want {
		return nil, "", nil, fmt.Errorf("%d answers to %d points", len(each), want)
	}
	return head, version, each, nil
}

// fmtFloat writes v so that queryPoint reads it back exactly.
func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
