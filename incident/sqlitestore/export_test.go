package sqlitestore

// NoGroupCommit makes s commit every write alone: the baseline of the
// benchmarks (one transaction, so one fsync, per write).
func NoGroupCommit(s *Store) { s.w.max.Store(1) }

// SchemaVersion is the schema version Open brings a file to.
var SchemaVersion = len(migrations)
