package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/synth"
)

func runSynthCompounds(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("synth compounds", stderr)
	grids := fs.String("grids", "", "GeoJSON file of the grids (required)")
	buildings := fs.String("buildings", "", "GeoJSON file of the buildings, parent = their grid (required)")
	out := fs.String("out", "", "directory to write compounds.geojson and buildings.geojson to (required)")
	var o synth.CompoundOptions
	fs.Float64Var(&o.LinkM, "link-m", 17, "metres between two buildings that may share a compound")
	fs.Float64Var(&o.BufferM, "yard-m", 5, "yard around a compound's buildings, metres")
	fs.IntVar(&o.MaxBuildings, "max", 12, "most buildings in one compound")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: gridmap synth compounds --grids FILE --buildings FILE --out DIR
Groups the buildings of each grid into compounds (小区): clusters of nearby
buildings, each a rectangle with a yard inside its grid. Writes
DIR/compounds.geojson (parent = the grid) and DIR/buildings.geojson (the
buildings, parent = their compound). Import them with --partial
compounds,buildings between the grids and the buildings.`)
		fs.PrintDefaults()
	}
	if _, err := parsePositional(fs, args, 0, "no arguments"); err != nil {
		return err
	}
	if *grids == "" || *buildings == "" || *out == "" {
		fs.Usage()
		return fmt.Errorf("%w: want --grids, --buildings and --out", errUsage)
	}
	gs, err := synth.ReadGrids(*grids)
	if err != nil {
		return err
	}
	bs, err := synth.ReadGrids(*buildings)
	if err != nil {
		return err
	}
	cs, rebuilt, err := synth.Compounds(gs, bs, o)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	ctx := context.Background()
	for _, f := range []struct {
		name  string
		grids []*geo.Grid
	}{{"compounds.geojson", cs}, {"buildings.geojson", rebuilt}} {
		if err := synth.WriteGridsFile(ctx, filepath.Join(*out, f.name), f.grids); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "wrote %d compounds over %d buildings of %d grids to %s\n", len(cs), len(rebuilt), len(gs), *out)
	return nil
}
