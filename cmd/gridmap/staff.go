package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"

	"github.com/gridmap/gridmap/staff"
)

func runStaff(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return runStaffImport(args[1:], stdin, stdout, stderr)
		case "list":
			return runStaffList(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, "usage: gridmap staff import [--data DIR] [--config FILE] FILE.csv|-\n       gridmap staff list [--data DIR] [--grid CODE] [--personal]")
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		return nil
	}
	return fmt.Errorf("%w: want the subcommand import or list", errUsage)
}

// parsePositional parses args (parseArgs) and wants n positional
// arguments, what the usage error calls them.
func parsePositional(fs *flag.FlagSet, args []string, n int, what string) ([]string, error) {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != n {
		fs.Usage()
		return nil, fmt.Errorf("%w: want %s", errUsage, what)
	}
	return pos, nil
}

func runStaffImport(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("staff import", stderr)
	data, cfgFile := cliFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: gridmap staff import [--data DIR] [--config FILE] FILE.csv|-
Stores a staff roster (columns grid,id,name,role,phone, or 网格编码,工号,姓名,
角色,电话) as a new roster version and makes it the one dispatch uses. Roles
must be among staff.roles of the configuration; grid codes must be in the
active version. gridmap synth staff writes a synthetic one.`)
		fs.PrintDefaults()
	}
	pos, err := parsePositional(fs, args, 1, "one FILE.csv or -")
	if err != nil {
		return err
	}
	in, _, closeIn, err := openInput(pos[0], stdin)
	if err != nil {
		return err
	}
	defer closeIn()
	ctx := context.Background()
	c, err := openService(ctx, *data, *cfgFile)
	if err != nil {
		return err
	}
	defer c.Close()
	v, err := c.svc.ImportRoster(ctx, in, filepath.Base(pos[0]))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "roster version %s: %d people from %s (sha256 %.12s), now active\n", v.ID, v.People, pos[0], v.SHA256)
	return nil
}

func runStaffList(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("staff list", stderr)
	data, cfgFile := cliFlags(fs)
	grid := fs.String("grid", "", "list only the people of this grid code")
	personal := fs.Bool("personal", false, "show names and phone numbers unmasked (personal data: mind who reads the screen)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gridmap staff list [--data DIR] [--grid CODE] [--personal]\nLists the active roster; names and phones masked unless --personal.")
		fs.PrintDefaults()
	}
	if _, err := parsePositional(fs, args, 0, "no arguments"); err != nil {
		return err
	}
	ctx := context.Background()
	c, err := openService(ctx, *data, *cfgFile)
	if err != nil {
		return err
	}
	defer c.Close()
	r := c.svc.Roster()
	people := r.People
	if *grid != "" {
		people = r.Of(*grid)
	}
	if r.Version.ID == "" {
		fmt.Fprintf(stdout, "no roster in %s: run gridmap staff import FILE.csv\n", c.data)
		return nil
	}
	fmt.Fprintf(stdout, "roster version %s (%s), %d of %d people\n", r.Version.ID, r.Version.Source, len(people), len(r.People))
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "GRID\tID\tNAME\tROLE\tPHONE")
	for _, p := range people {
		name, phone := p.Name, p.Phone
		if !*personal {
			name, phone = staff.MaskName(name), staff.MaskPhone(phone)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Grid, p.ID, name, p.Role, phone)
	}
	return tw.Flush()
}
