package importer

import "errors"

// ErrRejected is wrapped by the error Import returns when any check found a
// problem of severity error. Match it with errors.Is; the Report lists the
// problems.
var ErrRejected = errors.New("import rejected")
