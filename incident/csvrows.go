package incident

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// histRow is one row of a historical incidents file, read and checked,
// not yet located.
type histRow struct {
	line                  int
	lon, lat              float64
	crs                   string
	source, ref, category string
	description           string
	reporter              Reporter
	status                Status
	reported, occurred    time.Time
	handled, closed       time.Time
	rating                int
}

// The columns of a historical incidents file (ImportCSV).
const (
	hcID = iota
	hcSource
	hcExternalRef
	hcCategory
	hcLon
	hcLat
	hcCRS
	hcReportedAt
	hcOccurredAt
	hcStatus
	hcHandledAt
	hcClosedAt
	hcRating
	hcDescription
	hcReporterName
	hcReporterPhone
	hcCount
)

// histColumns names the columns in the order above; required ones must be
// in the header.
var histColumns = [hcCount]struct {
	name     string
	required bool
}{
	{"id", false}, {"source", true}, {"external_ref", false}, {"category", true},
	{"lon", true}, {"lat", true}, {"crs", false}, {"reported_at", true}, {"occurred_at", false},
	{"status", true}, {"handled_at", false}, {"closed_at", false}, {"rating", false},
	{"description", false}, {"reporter_name", false}, {"reporter_phone", false},
}

// rowReader reads the rows of a historical incidents file one at a time.
type rowReader struct {
	cr  *csv.Reader
	pos [hcCount]int
	// broken is set once the file cannot be read on (a quote left open).
	broken bool
}

// newRowReader reads the header of a historical incidents file: the
// columns of histColumns, in any order, case-insensitive; unknown columns
// are refused (a misspelt optional column would silently drop its data).
func newRowReader(r io.Reader) (*rowReader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, &FieldError{Field: "header", Line: 1, Msg: "empty file"}
	}
	if err != nil {
		return nil, csvRowError(err, "header")
	}
	rr := &rowReader{cr: cr}
	for i := range rr.pos {
		rr.pos[i] = -1
	}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		c := slices.IndexFunc(histColumns[:], func(col struct {
			name     string
			required bool
		}) bool {
			return col.name == h
		})
		switch {
		case c < 0:
			return nil, &FieldError{Field: h, Line: 1, Msg: "unknown column"}
		case rr.pos[c] >= 0:
			return nil, &FieldError{Field: h, Line: 1, Msg: "column given twice"}
		}
		rr.pos[c] = i
	}
	for c, col := range histColumns {
		if col.required && rr.pos[c] < 0 {
			return nil, &FieldError{Field: col.name, Line: 1, Msg: "missing column"}
		}
	}
	return rr, nil
}

// next reads the next row: io.EOF at the end, or a *FieldError naming the
// line and column of a bad row; the reader can go on after it unless
// broken is set (bad CSV syntax, or an error reading).
func (rr *rowReader) next() (histRow, error) {
	rec, err := rr.cr.Read()
	if err != nil {
		if err == io.EOF {
			return histRow{}, err
		}
		rr.broken = true
		return histRow{}, csvRowError(err, "row")
	}
	line, _ := rr.cr.FieldPos(0)
	get := func(c int) string {
		if p := rr.pos[c]; p >= 0 && p < len(rec) {
			return strings.TrimSpace(rec[p])
		}
		return ""
	}
	p := rowParser{line: line}
	row := histRow{
		line: line, crs: get(hcCRS), source: get(hcSource), ref: get(hcExternalRef), category: get(hcCategory),
		description: get(hcDescription), reporter: Reporter{Name: get(hcReporterName), Phone: get(hcReporterPhone)},
		status: Status(get(hcStatus)),
	}
	row.lon = p.float("lon", get(hcLon))
	row.lat = p.float("lat", get(hcLat))
	row.reported = p.time("reported_at", get(hcReportedAt), true)
	row.occurred = p.time("occurred_at", get(hcOccurredAt), false)
	row.handled = p.time("handled_at", get(hcHandledAt), false)
	row.closed = p.time("closed_at", get(hcClosedAt), false)
	if v := get(hcRating); v != "" && p.err == nil {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 5 {
			p.fail("rating", fmt.Sprintf("%q is not a rating from 1 to 5", v))
		}
		row.rating = n
	}
	if p.err != nil {
		return row, p.err
	}
	return row, checkRow(&row)
}

// checkRow checks a row's texts, status and the order of its times.
func checkRow(row *histRow) error {
	in := NewIncident{Category: row.category, Source: row.source, ExternalRef: row.ref, Description: row.description, Reporter: row.reporter}
	if err := checkNew(&in, row.reported.Add(futureSlack)); err != nil {
		fe := err.(*FieldError)
		fe.Line, fe.Field = row.line, strings.ReplaceAll(fe.Field, ".", "_")
		return fe
	}
	bad := func(field, msg string) error { return &FieldError{Field: field, Line: row.line, Msg: msg} }
	switch {
	case !row.status.Valid():
		return bad("status", fmt.Sprintf("unknown status %q", row.status))
	case !row.occurred.IsZero() && row.occurred.After(row.reported):
		return bad("occurred_at", "after reported_at")
	case needsHandled(row.status) && row.handled.IsZero():
		return bad("handled_at", fmt.Sprintf("required for status %s", row.status))
	case row.status == Closed && row.closed.IsZero():
		return bad("closed_at", "required for status closed")
	case !row.handled.IsZero() && row.handled.Before(row.reported):
		return bad("handled_at", "before reported_at")
	case !row.closed.IsZero() && row.closed.Before(row.reported):
		return bad("closed_at", "before reported_at")
	case !row.closed.IsZero() && !row.handled.IsZero() && row.closed.Before(row.handled):
		return bad("closed_at", "before handled_at")
	}
	return nil
}

// needsHandled reports whether an incident in status s has been handled.
func needsHandled(s Status) bool { return s == Handled || s == Feedback || s == Closed }

// rowParser keeps the first error of a row's fields.
type rowParser struct {
	line int
	err  *FieldError
}

func (p *rowParser) fail(field, msg string) {
	if p.err == nil {
		p.err = &FieldError{Field: field, Line: p.line, Msg: msg}
	}
}

// float reads a number of column field.
func (p *rowParser) float(field, v string) float64 {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		p.fail(field, fmt.Sprintf("%q is not a number", v))
	}
	return f
}

// china is the zone of times written without one (UTC+8).
var china = time.FixedZone("CST", 8*3600)

// time reads a time of column field: RFC 3339, or "2006-01-02 15:04:05"
// in China's time; "" is the zero time unless required.
func (p *rowParser) time(field, v string, required bool) time.Time {
	if v == "" {
		if required {
			p.fail(field, "required")
		}
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		t, err = time.ParseInLocation(time.DateTime, v, china)
	}
	if err != nil {
		p.fail(field, fmt.Sprintf("%q is not a time (RFC 3339, or 2006-01-02 15:04:05 in China time)", v))
	}
	return t.UTC()
}

// csvRowError names the line of an error of encoding/csv.
func csvRowError(err error, field string) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &FieldError{Field: field, Line: pe.Line, Msg: pe.Err.Error()}
	}
	return fmt.Errorf("read incidents: %w", err)
}
