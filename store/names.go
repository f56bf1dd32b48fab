package store

// CheckID returns an error matching ErrBadID unless id is a well-formed
// version id ("v" and a number from 1), the rule of every store.
func CheckID(id string) error { return checkID(id) }

// CheckFileName returns an error matching ErrBadID unless name may be
// the name of a published file (version.Files): a plain name of lower-case
// letters, digits, dots, dashes and underscores, none of a version's own.
func CheckFileName(name string) error { return checkFileName(name) }
