package synth

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// IncidentHeader is the header of the historical incidents CSV that
// WriteIncidentsCSV writes (the columns of incident.ImportCSV; id and crs
// are left out: the store numbers the incidents, points are WGS84).
var IncidentHeader = []string{"source", "external_ref", "category", "lon", "lat", "reported_at", "occurred_at",
	"status", "handled_at", "closed_at", "rating", "description", "reporter_name", "reporter_phone"}

// WriteIncidentsCSV writes the header and every incident g has left to w,
// one row each, times in RFC 3339 with China's offset, and returns how
// many rows it wrote. It streams: memory does not grow with the count. A
// done ctx stops it between rows with ctx's error.
func WriteIncidentsCSV(ctx context.Context, w io.Writer, g *Incidents) (int, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(IncidentHeader); err != nil {
		return 0, fmt.Errorf("write incidents header: %w", err)
	}
	rec := make([]string, len(IncidentHeader))
	n := 0
	for {
		inc, ok := g.Next()
		if !ok {
			break
		}
		if n%4096 == 0 && ctx.Err() != nil {
			return n, ctx.Err()
		}
		inc.record(rec)
		if err := cw.Write(rec); err != nil {
			return n, fmt.Errorf("write incident row %d: %w", n+2, err)
		}
		n++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("write incidents: %w", err)
	}
	return n, nil
}

// record fills rec with inc's columns in IncidentHeader's order.
func (inc *Incident) record(rec []string) {
	rating := ""
	if inc.Rating > 0 {
		rating = strconv.Itoa(inc.Rating)
	}
	copy(rec, []string{inc.Source, inc.ExternalRef, inc.Category,
		strconv.FormatFloat(inc.Lon, 'f', -1, 64), strconv.FormatFloat(inc.Lat, 'f', -1, 64),
		rfc3339(inc.ReportedAt), rfc3339(inc.OccurredAt), inc.Status, rfc3339(inc.HandledAt), rfc3339(inc.ClosedAt),
		rating, inc.Description, inc.ReporterName, inc.ReporterPhone})
}

// rfc3339 formats t in China's zone, or "" for the zero time.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(China).Format(time.RFC3339)
}
