package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/sqlitestore"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/synth"
)

// load imports n synthetic incidents of the last year (package synth,
// seeded) into the incident store of data dir, located in its active
// version by incident.Service.ImportCSV, as `gridmap incidents import`
// does; the CSV goes through a pipe, never to disk.
func load(ctx context.Context, data string, n int) (incident.ImportResult, error) {
	var res incident.ImportResult
	st, err := store.OpenDir(data)
	if err != nil {
		return res, err
	}
	cat, err := catalog.New(catalog.Options{Store: st, Uploads: filepath.Join(data, "uploads")})
	if err != nil {
		return res, err
	}
	if err := cat.Start(ctx); err != nil {
		return res, fmt.Errorf("load the active version of %s: %w", data, err)
	}
	is, err := sqlitestore.Open(filepath.Join(data, "incidents.db"))
	if err != nil {
		return res, err
	}
	defer is.Close()
	svc, err := incident.New(ctx, incident.Options{Store: is, Current: cat.Current})
	if err != nil {
		return res, err
	}
	g, err := synth.NewIncidents(cat.Current().Data, synth.IncidentOptions{Seed: 1, N: n, RefPrefix: "wall-"})
	if err != nil {
		return res, err
	}
	pr, pw := io.Pipe()
	go func() {
		_, err := synth.WriteIncidentsCSV(ctx, pw, g)
		pw.CloseWithError(err)
	}()
	res, err = svc.ImportCSV(ctx, pr, incident.System)
	pr.CloseWithError(err)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	return res, nil
}
