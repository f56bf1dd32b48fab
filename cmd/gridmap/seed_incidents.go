package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/synth"
	"github.com/gridmap/gridmap/version"
)

// The sample's incidents: three months up to the first start, 10,000 of
// them (about 40 % of Jiangyin's rate of 95,000 a year, so that the seed
// stays near 2 s of a core: storing an incident with its history costs
// about 150 µs, measured with TestSeedIncidents' profile, 2.85 s of 7 s
// for 20,000), and a roster, both drawn from sampleSeed so every fresh
// start shows the same picture (of its own three months).
const (
	sampleSeed      = 17
	sampleIncidents = 10000
	sampleMonths    = 3
)

// seedIncidents gives an incident store that holds nothing yet a
// synthetic roster of snap's grids (Jiangyin's 1+1+3, when the configured
// roles hold its role names) and three months of synthetic incidents, so
// that the wall of a fresh `gridmap serve` shows coloured grids and people
// at once. It does nothing when the store holds an incident or a roster.
// serve calls it after importing the bundled sample, once the incident
// service is made.
func seedIncidents(ctx context.Context, svc *incident.Service, snap *version.Snapshot, stdout io.Writer) error {
	if snap == nil {
		return nil
	}
	list, _, err := svc.List(ctx, incident.Filter{Limit: 1})
	if err != nil {
		return fmt.Errorf("seed incidents: %w", err)
	}
	roster := svc.Roster()
	if len(list) > 0 || len(roster.People) > 0 {
		return nil
	}
	start := time.Now()
	if planFits(synth.Jiangyin113, roster.Roles.Names) {
		var buf bytes.Buffer
		if _, err := synth.WriteStaffCSV(ctx, &buf, snap.Data, synth.Jiangyin113, sampleSeed); err != nil {
			return fmt.Errorf("seed roster: %w", err)
		}
		v, err := svc.ImportRoster(ctx, &buf, "sample roster (synthetic)")
		if err != nil {
			return fmt.Errorf("seed roster: %w", err)
		}
		fmt.Fprintf(stdout, "seeded a synthetic roster of %d people\n", v.People)
	} else {
		fmt.Fprintln(stdout, "no sample roster: the configured staff.roles lack Jiangyin's 1+1+3 role names")
	}
	now := time.Now()
	g, err := synth.NewIncidents(snap.Data, synth.IncidentOptions{Seed: sampleSeed, N: sampleIncidents,
		From: now.AddDate(0, -sampleMonths, 0), To: now})
	if err != nil {
		return fmt.Errorf("seed incidents: %w", err)
	}
	pr, pw := io.Pipe()
	go func() {
		_, err := synth.WriteIncidentsCSV(ctx, pw, g)
		pw.CloseWithError(err)
	}()
	res, err := svc.ImportCSV(ctx, pr, incident.Actor{Role: "system", Name: "gridmap serve (sample incidents)"})
	pr.Close()
	if err != nil {
		return fmt.Errorf("seed incidents: %w", err)
	}
	fmt.Fprintf(stdout, "seeded %d synthetic incidents of the last %d months (%d skipped) in %v\n",
		res.Stored, sampleMonths, res.Skipped, time.Since(start).Round(time.Millisecond))
	return nil
}

// planFits reports whether every role of plan is one of names.
func planFits(plan synth.StaffPlan, names []string) bool {
	for _, posts := range plan {
		for _, p := range posts {
			if !slices.Contains(names, p.Role) {
				return false
			}
		}
	}
	return true
}
