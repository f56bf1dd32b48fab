package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gridmap/gridmap/sample"
	"github.com/gridmap/gridmap/synth"
)

func runSynth(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "incidents":
			return runSynthIncidents(args[1:], stdin, stdout, stderr)
		case "staff":
			return runSynthStaff(args[1:], stdin, stdout, stderr)
		case "compounds":
			return runSynthCompounds(args[1:], stdin, stdout, stderr)
		}
	}
	fs := newFlags("synth", stderr)
	copies := fs.Int("copies", 100, "number of copies of the source county")
	out := fs.String("out", "", "directory to write the five layer GeoJSON files to (required)")
	src := fs.String("src", "", "directory of the source county's layers (default: the bundled Jiangyin sample)")
	margin := fs.Float64("margin", synth.DefaultMargin, "gap between copies, degrees")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gridmap synth --copies N --out DIR [--src DIR]\nWrites a synthetic province of N offset copies of a county, with new codes.\nSee also gridmap synth incidents -h, gridmap synth staff -h and gridmap synth compounds -h.")
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *out == "" || *copies < 1 {
		fs.Usage()
		return fmt.Errorf("%w: want --out DIR and --copies ≥ 1", errUsage)
	}
	start := time.Now()
	dir := *src
	if dir == "" {
		dir = "the bundled sample"
	}
	s, err := readSynthSource(*src)
	if err != nil {
		return err
	}
	st, err := s.Write(context.Background(), *out, *copies, *margin)
	if err != nil {
		return err
	}
	lat := s.NewLattice(*copies, *margin)
	fmt.Fprintf(stdout, "wrote %d copies of %s (prefix %s → %s..%s), %d columns, step %.4f°×%.4f°, in %v:\n",
		*copies, dir, s.Prefix, synth.CopyPrefix(1), synth.CopyPrefix(*copies), lat.Cols, lat.Step[0], lat.Step[1], time.Since(start).Round(time.Millisecond))
	for i, f := range st.Files {
		fmt.Fprintf(stdout, "  %-40s %8d features %8.1f MB\n", f, st.Features[i], float64(st.Bytes[i])/1e6)
	}
	return nil
}

// readSynthSource reads the source county of synth from dir, or from the
// bundled Jiangyin sample when dir is "" (extracted to a temporary
// directory, removed on return).
func readSynthSource(dir string) (*synth.Source, error) {
	if dir != "" {
		return synth.ReadSource(dir)
	}
	tmp, err := os.MkdirTemp("", "gridmap-synth-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if _, err := sample.Extract(tmp); err != nil {
		return nil, err
	}
	return synth.ReadSource(tmp)
}
