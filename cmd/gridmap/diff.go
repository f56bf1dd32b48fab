package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/version"
)

// runDiff prints the grids added, removed and changed from version A to
// version B, by code and layer, with the area that changed.
func runDiff(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("diff", stderr)
	data := fs.String("data", defaultData, "data directory")
	storeURL := storeFlag(fs)
	max := fs.Int("max", 50, "list at most this many grids per layer and kind (0: all)")
	asJSON := fs.Bool("json", false, "print the diff as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gridmap diff [flags] A B\nLists the grids added, removed and changed from version A to version B (\"active\" names the active version).")
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		fs.Usage()
		return fmt.Errorf("%w: want two versions A B (see gridmap versions)", errUsage)
	}
	ctx := context.Background()
	cat, err := openCatalog(place{*data, *storeURL}, version.BuildOptions{}, nil)
	if err != nil {
		return err
	}
	a, _, err := cat.Load(ctx, pos[0])
	if err != nil {
		return err
	}
	b, _, err := cat.Load(ctx, pos[1])
	if err != nil {
		return err
	}
	d := importer.Compare(a, b)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	fmt.Fprintf(stdout, "%s → %s\n", pos[0], pos[1])
	fmt.Fprint(stdout, d.Text(*max))
	return nil
}
