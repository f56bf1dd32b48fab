package main

import (
	"errors"
	"io"
)

// runMigrateCopy is gridmap migrate copy --from SRC --to DST: every version
// (ids, manifests, the active pointer), incident, transition and roster of
// one store into another, a data directory or a PostgreSQL store; the copy
// is checked by reading both back.
//
// TODO(issue 19, h-pgstore): the versions part; h-pgincidents provides
// incident.Copy for the rest.
func runMigrateCopy(args []string, stdout, stderr io.Writer) error {
	return errors.New("gridmap migrate copy: not built yet")
}
