package incident

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gridmap/gridmap/version"
)

// importBatch is how many incidents ImportCSV stores per Store.CreateMany:
// one transaction each.
const importBatch = 5000

// maxImportErrors is how many bad rows an ImportResult names.
const maxImportErrors = 20

// ImportResult says what ImportCSV did.
type ImportResult struct {
	// Rows counts the data rows read; Stored those stored; Duplicates
	// those already stored (same source and external_ref) and so left
	// out; Skipped the bad rows, of which Outside were in no grid.
	Rows       int `json:"rows"`
	Stored     int `json:"stored"`
	Duplicates int `json:"duplicates"`
	Skipped    int `json:"skipped"`
	Outside    int `json:"outside"`
	// Errors names the first bad rows (at most 20): line, column, what.
	Errors []FieldError `json:"errors,omitempty"`
	// Version is the boundary version the rows were located in.
	Version string `json:"version"`
}

// ImportCSV stores historical incidents from CSV, a year of a county in
// one command. The header names the columns, in any order:
//
//	source, category, lon, lat, reported_at, status     required
//	id (ignored: the store numbers incidents), external_ref, crs (a name
//	of geo/crs, default wgs84), occurred_at, handled_at, closed_at,
//	rating (1–5), description, reporter_name, reporter_phone
//
// Times are RFC 3339, or "2006-01-02 15:04:05" in China time. Each row is
// located in the version served (with the nearest fallback) and given a
// history consistent with its status (report, assess, dispatch to the
// responsible person of its chain, accept, handle at handled_at,
// feedback, close at closed_at; returned and rejected off the path), its
// category's deadline and, when handled_at (or now, for one still open)
// is past it, an overdue step at the deadline. The rows stream through:
// memory does not grow with the file.
//
// A bad row (a field that does not parse, times out of order, a point in
// no grid) is skipped: counted in the result, the first 20 named by line
// and column; the rows before and after it are stored. The header being
// bad, the CSV syntax broken, or the store failing stops the import with
// an error (rows already stored stay; a second run skips them as
// duplicates when they have an external_ref).
func (s *Service) ImportCSV(ctx context.Context, r io.Reader, by Actor) (ImportResult, error) {
	snap := s.opts.Current()
	if snap == nil {
		return ImportResult{}, ErrNoVersion
	}
	res := ImportResult{Version: snap.Manifest.ID}
	rr, err := newRowReader(r)
	if err != nil {
		return res, fmt.Errorf("import incidents: %w", err)
	}
	batches := make(chan []Record, 1)
	stored := make(chan error, 1)
	rescan := false
	go func() {
		var err error
		for b := range batches {
			if err != nil {
				continue
			}
			var n int
			n, err = s.opts.Store.CreateMany(ctx, b)
			res.Stored += n
			res.Duplicates += len(b) - n
			if s.putNumbered(b) != n {
				rescan = true
			}
		}
		stored <- err
	}()
	readErr := s.readRows(ctx, rr, snap, by, &res, batches)
	close(batches)
	err = <-stored
	if rescan && len(s.opts.Sinks) > 0 {
		// the store did not number the records in place: tell the
		// sinks of everything stored
		if serr := s.opts.Store.Scan(ctx, func(inc Incident) error { s.put(inc); return nil }); serr != nil && err == nil {
			err = serr
		}
	}
	if err != nil {
		return res, fmt.Errorf("import incidents: store: %w", err)
	}
	if readErr != nil {
		return res, fmt.Errorf("import incidents: %w", readErr)
	}
	s.opts.Log.Info("incidents imported", "rows", res.Rows, "stored", res.Stored, "duplicates", res.Duplicates, "skipped", res.Skipped, "version", res.Version)
	return res, nil
}

// putNumbered tells the sinks of the records of b the store numbered (an
// ID set in place) and returns how many it told.
func (s *Service) putNumbered(b []Record) int {
	n := 0
	for i := range b {
		if b[i].Incident.ID != 0 {
			s.put(b[i].Incident)
			n++
		}
	}
	return n
}

// readRows reads every row of rr into records, sending them to batches in
// groups of importBatch, and counts the bad ones in res.
func (s *Service) readRows(ctx context.Context, rr *rowReader, snap *version.Snapshot, by Actor, res *ImportResult, batches chan<- []Record) error {
	now := s.opts.Now().UTC()
	batch := make([]Record, 0, importBatch)
	for {
		row, err := rr.next()
		if err == io.EOF {
			break
		}
		if err == nil {
			res.Rows++
			var rec Record
			rec, err = s.record(row, snap, by, now)
			if err == nil {
				batch = append(batch, rec)
			}
		} else if !rr.broken {
			res.Rows++
		}
		if err != nil {
			var fe *FieldError
			if rr.broken || !errors.As(err, &fe) {
				return err
			}
			res.Skipped++
			if errors.Is(err, ErrOutside) {
				res.Outside++
			}
			if len(res.Errors) < maxImportErrors {
				res.Errors = append(res.Errors, *fe)
			}
		}
		if len(batch) == importBatch {
			if err := ctx.Err(); err != nil {
				return err
			}
			batches <- batch
			batch = make([]Record, 0, importBatch)
		}
	}
	if len(batch) > 0 {
		batches <- batch
	}
	return nil
}

// record locates row in snap and builds its incident and history.
func (s *Service) record(row histRow, snap *version.Snapshot, by Actor, now time.Time) (Record, error) {
	p, system, err := toWGS84(row.lon, row.lat, row.crs)
	if err != nil {
		fe := err.(*FieldError)
		fe.Line = row.line
		return Record{}, fe
	}
	chain, err := locate(snap, p, s.nearestM())
	if err != nil {
		return Record{}, &outsideRow{FieldError{Field: "lon", Line: row.line, Msg: fmt.Sprintf("(%s, %s) is in no grid", ftoa(p[0]), ftoa(p[1]))}}
	}
	inc := Incident{
		Status: row.status, Lon: p[0], Lat: p[1], CRS: system, InputLon: row.lon, InputLat: row.lat,
		Category: row.category, Source: row.source, ExternalRef: row.ref, Description: row.description,
		Reporter: row.reporter, OccurredAt: row.occurred, ReportedAt: row.reported,
		Version: snap.Manifest.ID, Chain: chain, Deadline: s.deadline(row.category, row.reported),
		HandledAt: row.handled, ClosedAt: row.closed, Rating: row.rating,
	}
	hist := s.history(&inc, by, now)
	inc.UpdatedAt = hist[len(hist)-1].At
	return Record{Incident: inc, Transitions: hist}, nil
}

// outsideRow is a row whose point is in no grid: a *FieldError that also
// matches ErrOutside.
type outsideRow struct{ FieldError }

func (e *outsideRow) Unwrap() []error { return []error{&e.FieldError, ErrOutside} }

// ftoa formats a coordinate.
func ftoa(f float64) string { return fmt.Sprintf("%.6f", f) }
