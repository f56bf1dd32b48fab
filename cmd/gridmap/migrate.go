package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gridmap/gridmap/internal/pgschema"
)

// runMigrate is gridmap migrate: the PostgreSQL schema's migrations (up,
// status) and the copy of a whole store into another (copy).
//
//	gridmap migrate up     --store postgres://…
//	gridmap migrate status --store postgres://…
//	gridmap migrate copy   --from DIR|postgres://… --to DIR|postgres://…
func runMigrate(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "up", "status":
			return runMigrateSchema(args[0], args[1:], stdout, stderr)
		case "copy":
			return runMigrateCopy(args[1:], stdout, stderr)
		}
	}
	fs := newFlags("migrate", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: gridmap migrate up|status --store postgres://USER:PASSWORD@HOST:PORT/DB
       gridmap migrate copy --from DIR|postgres://… --to DIR|postgres://…
up applies the schema migrations the PostgreSQL store lacks (several
replicas may run it at once), status lists them; copy moves a whole store
(versions, the active one, incidents, staff) into another and checks it.
See gridmap migrate up -h and gridmap migrate copy -h.`)
	}
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	fs.Usage()
	return fmt.Errorf("%w: want up, status or copy", errUsage)
}

// runMigrateSchema applies (up) or lists (status) the schema migrations of
// the PostgreSQL store.
func runMigrateSchema(cmd string, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate "+cmd, stderr)
	dsn := fs.String("store", os.Getenv("GRIDMAP_STORE"), "PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DB; default $GRIDMAP_STORE)")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if !isPostgresURL(*dsn) {
		return fmt.Errorf("%w: gridmap migrate %s needs --store postgres://… (or GRIDMAP_STORE)", errUsage, cmd)
	}
	ctx := context.Background()
	db, err := pgschema.Open(*dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if cmd == "up" {
		applied, err := pgschema.Up(ctx, db)
		for _, a := range applied {
			fmt.Fprintf(stdout, "applied %05d %s in %s\n", a.Version, a.Name, a.Duration)
		}
		if err == nil && len(applied) == 0 {
			fmt.Fprintln(stdout, "the schema is current")
		}
		return err
	}
	list, err := pgschema.Status(ctx, db)
	if err != nil {
		return err
	}
	for _, m := range list {
		state := "pending"
		if m.Applied {
			state = "applied " + m.AppliedAt
		}
		fmt.Fprintf(stdout, "%05d %-28s %s\n", m.Version, m.Name, state)
	}
	if err := pgschema.Check(ctx, db); errors.Is(err, pgschema.ErrAhead) {
		fmt.Fprintln(stdout, err)
	}
	return nil
}

// isPostgresURL reports whether s names a PostgreSQL store rather than a
// data directory.
func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}
