// Command gridmap imports grid boundaries, answers "which grid is this point
// in?" and serves the grids as vector tiles on a map page.
//
//	gridmap serve    [--config FILE] [--print-config] [--data DIR] [--addr HOST:PORT] [flags]
//	gridmap import   [--data DIR] [flags] FILE|NAME=FILE ...
//	gridmap lookup   [--data DIR] LON LAT | -
//	gridmap versions [--data DIR]
//	gridmap synth incidents|staff [--data DIR] [flags]
//	gridmap incidents import [--data DIR] FILE.csv
//	gridmap staff import|list [--data DIR] [flags]
//	gridmap activate [--data DIR] VERSION
//	gridmap migrate  up|status --store postgres://… | copy --from SRC --to DST
//	gridmap healthcheck [--addr HOST:PORT]
//	gridmap version | --version
//	gridmap help COMMAND
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
	{"synth", "write a synthetic province of N offset copies of a county (benchmarks), or synthetic incidents or staff", runSynth},
	{"incidents", "import historical incidents from CSV into the data dir's incident store", runIncidents},
	{"staff", "import a staff roster from CSV, or list the active one", runStaff},
	{"export", "write a version as one PMTiles file of vector tiles, or as GeoJSON files", runExport},
	{"migrate", "create or migrate the PostgreSQL schema (up, status), or copy a store into another (copy)", runMigrate},
	{"keys", "add, list or revoke API keys (roles admin, importer, reader)", runKeys},
	{"route", "forward lookups and tiles to the shard that holds each point (sharding by province)", runRoute},
	{"healthcheck", "exit 0 when a running server's /healthz answers 200 (Docker HEALTHCHECK)", runHealthcheck},
	{"version", "print the version and commit of this build", runVersion},
}

// errUsage marks an error in the command line; main exits 2 on it.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		usage(stderr)
		return 2
	case args[0] == "-h" || args[0] == "--help" || (args[0] == "help" && len(args) == 1):
		usage(stderr)
		return 0
	case args[0] == "--version" || args[0] == "-version":
		args = []string{"version"}
	case args[0] == "help":
		// gridmap help serve: serve's help, as gridmap serve -h
		args = []string{args[1], "-h"}
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
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "Run gridmap help COMMAND (or gridmap COMMAND -h) for a command's flags; gridmap --version for the build.")
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
