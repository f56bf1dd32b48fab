package synth

import (
	"encoding/json"
	"time"
)

// report is the body of POST /api/v1/incidents.
type report struct {
	Lon         float64    `json:"lon"`
	Lat         float64    `json:"lat"`
	Category    string     `json:"category"`
	Source      string     `json:"source"`
	ExternalRef string     `json:"external_ref,omitempty"`
	Description string     `json:"description,omitempty"`
	Reporter    *reporter  `json:"reporter,omitempty"`
	OccurredAt  *time.Time `json:"occurred_at,omitempty"`
}

type reporter struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// ReportJSON returns inc as the JSON body of a new report (POST
// /api/v1/incidents: lon, lat in WGS84 degrees, category, source,
// external_ref, description, reporter, occurred_at), as if it were
// reported at now: occurred_at is as long before now as inc's occurrence
// was before its report.
func (inc *Incident) ReportJSON(now time.Time) []byte {
	r := report{Lon: inc.Lon, Lat: inc.Lat, Category: inc.Category, Source: inc.Source,
		ExternalRef: inc.ExternalRef, Description: inc.Description}
	if inc.ReporterName != "" || inc.ReporterPhone != "" {
		r.Reporter = &reporter{Name: inc.ReporterName, Phone: inc.ReporterPhone}
	}
	if !inc.OccurredAt.IsZero() {
		at := now.Add(inc.OccurredAt.Sub(inc.ReportedAt)).In(China).Truncate(time.Second)
		r.OccurredAt = &at
	}
	b, err := json.Marshal(r)
	if err != nil {
		// only strings, finite numbers and times: Marshal cannot fail
		panic("synth: report JSON: " + err.Error())
	}
	return b
}
