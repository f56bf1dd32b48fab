// Command gridmap imports grid boundaries, answers "which grid is this point
// in?" and serves the grids as vector tiles on a map page.
//
//	gridmap serve    [--data DIR] [--addr HOST:PORT]
//	gridmap import   [--data DIR] [flags] FILE|NAME=FILE ...
//	gridmap lookup   [--data DIR] LON LAT | -
//	gridmap versions [--data DIR]
//	gridmap activate [--data DIR] VERSION
//
// Coordinates are (lon, lat), WGS84/CGCS2000 degrees.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
)

const defaultData = "./gridmap-data"

type command struct {
	name  string
	usage string
	run   func(args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

var commands = []command{
	{"serve", "serve the active version over HTTP (imports the bundled sample into an empty data dir)", runServe},
	{"import", "check files and publish them as a new version", runImport},
	{"lookup", "print the chain of a point, or of CSV points on stdin", runLookup},
	{"versions", "list versions, marking the active one", runVersions},
	{"activate", "make a version the active one (roll back or forward)", runActivate},
	{"diff", "list grids added, removed and changed between two versions", runDiff},
	{"synth", "write a synthetic province of N offset copies of a county (benchmarks)", runSynth},
	{"export", "write a version as one PMTiles file of vector tiles, or as GeoJSON files", runExport},
	{"keys", "add, list or revoke API keys (roles admin, importer, reader)", runKeys},
}

// errUsage marks an error in the command line; main exits 2 on it.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(args[1:], stdin, stdout, stderr)
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				fmt.Fprintf(stderr, "gridmap %s: %v\n", c.name, err)
				return 2
			default:
				fmt.Fprintf(stderr, "gridmap %s: %v\n", c.name, err)
				return 1
			}
		}
	}
	fmt.Fprintf(stderr, "gridmap: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: gridmap COMMAND [flags] [args]")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "Run gridmap COMMAND -h for a command's flags.")
}

var number = regexp.MustCompile(`^-?[0-9.]+([eE][-+]?[0-9]+)?$`)

// parseArgs parses flags that may stand before, between or after the
// positional arguments; "-" and negative numbers are positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	positional := func(a string) bool { return a == "-" || a == "" || a[0] != '-' || number.MatchString(a) }
	for {
		for len(args) > 0 && positional(args[0]) {
			pos = append(pos, args[0])
			args = args[1:]
		}
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
	}
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("gridmap "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}
