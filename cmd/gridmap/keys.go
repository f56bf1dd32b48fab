package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/gridmap/gridmap/auth"
	"github.com/gridmap/gridmap/config"
)

// keysFile returns the keys file the flags or the configuration (file,
// environment) name: --keys-file, else auth.keys_file, else
// DATA/keys.json with DATA from --data or the configuration's data. The
// same file a `gridmap serve` with that configuration reads.
func keysFile(data, file, cfgFile string) (string, error) {
	if file != "" {
		return file, nil
	}
	if cfgFile == "" {
		cfgFile = os.Getenv("GRIDMAP_CONFIG")
	}
	cfg, err := config.Load(config.Input{File: cfgFile, Environ: os.Environ()})
	if err != nil {
		return "", configError(err)
	}
	if data == "" && cfg.Auth.KeysFile != "" {
		return cfg.Auth.KeysFile, nil
	}
	if data == "" {
		data = cfg.Data
	}
	return filepath.Join(data, auth.FileName), nil
}

// runKeys manages the API keys of the keys file: add, list, revoke. A
// running server sees each change within a second, without a restart.
func runKeys(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		keysUsage(stderr)
		if len(args) == 0 {
			return fmt.Errorf("%w: want add, list or revoke", errUsage)
		}
		return flag.ErrHelp
	}
	sub, args := args[0], args[1:]
	fs := newFlags("keys "+sub, stderr)
	data := fs.String("data", "", "data directory (default: the configuration's data, "+defaultData+")")
	file := fs.String("keys-file", "", "keys file (default: the configuration's auth.keys_file, else DATA/"+auth.FileName+")")
	cfgFile := fs.String("config", "", "TOML configuration file whose data and auth.keys_file apply (default $GRIDMAP_CONFIG)")
	var name, role, staff *string
	if sub == "add" {
		name = fs.String("name", "", "whose key it is, shown in logs (letters, digits, ._@-)")
		role = fs.String("role", string(auth.RoleReader), "role: admin, importer, reader, reporter, dispatcher, supervisor, grid_worker")
		staff = fs.String("staff", "", "staff id of the person the key belongs to (a grid worker's phone: GET /api/v1/me/incidents)")
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if *file, err = keysFile(*data, *file, *cfgFile); err != nil {
		return err
	}
	switch sub {
	case "add":
		if len(pos) != 0 || *name == "" {
			return fmt.Errorf("%w: want gridmap keys add --name NAME --role ROLE", errUsage)
		}
		return keysAdd(*file, *name, *role, *staff, stdout, stderr)
	case "list":
		if len(pos) != 0 {
			return fmt.Errorf("%w: gridmap keys list takes no arguments", errUsage)
		}
		return keysList(*file, stdout)
	case "revoke":
		if len(pos) != 1 {
			return fmt.Errorf("%w: want gridmap keys revoke ID|NAME", errUsage)
		}
		return keysRevoke(*file, pos[0], stdout)
	}
	keysUsage(stderr)
	return fmt.Errorf("%w: unknown keys command %q", errUsage, sub)
}

func keysUsage(w io.Writer) {
	fmt.Fprintln(w, `usage:
  gridmap keys add --name NAME --role ROLE [--staff ID] [--data DIR]
                                                         make a key; prints its token, once
  gridmap keys list [--data DIR]                         id, name, role, created, revoked
  gridmap keys revoke ID|NAME [--data DIR]               the token stops working within a second`)
}

// keysAdd makes a key and prints its token alone on stdout (for scripts),
// and what it is on stderr.
func keysAdd(file, name, role, staff string, stdout, stderr io.Writer) error {
	r, err := auth.ParseRole(role)
	if err != nil {
		return fmt.Errorf("%w: --role: %w", errUsage, err)
	}
	k, err := auth.Open(file)
	if err != nil {
		return err
	}
	tok, key, err := k.AddStaff(name, r, staff)
	if errors.Is(err, auth.ErrBadName) {
		return fmt.Errorf("%w: --name: %w", errUsage, err)
	}
	if errors.Is(err, auth.ErrBadStaff) {
		return fmt.Errorf("%w: --staff: %w", errUsage, err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "key %s %q, role %s, added to %s; its token is shown this once, keep it secret:\n", key.ID, key.Name, key.Role, file)
	fmt.Fprintln(stdout, tok)
	return nil
}

// keysList prints the keys, without hashes: no token can be had from it.
func keysList(file string, stdout io.Writer) error {
	k, err := auth.Open(file)
	if err != nil {
		return err
	}
	keys, err := k.List()
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		fmt.Fprintf(stdout, "no keys in %s (gridmap keys add --name NAME --role ROLE)\n", file)
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tSTAFF\tCREATED\tREVOKED")
	for _, key := range keys {
		revoked := "-"
		if !key.Active() {
			revoked = key.Revoked.Local().Format(time.DateTime)
		}
		staff := cmp.Or(key.Staff, "-")
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", key.ID, key.Name, key.Role, staff, key.Created.Local().Format(time.DateTime), revoked)
	}
	return tw.Flush()
}

func keysRevoke(file, idOrName string, stdout io.Writer) error {
	k, err := auth.Open(file)
	if err != nil {
		return err
	}
	key, err := k.Revoke(idOrName)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "key %s %q (%s) revoked\n", key.ID, key.Name, key.Role)
	return nil
}
