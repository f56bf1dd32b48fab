//go:build race

package pgstore_test

// copied is how many incidents TestCopyRoundTrip copies: fewer under the
// race detector, which slows the SQLite store tenfold (their transitions
// still take four pages; the incidents' paging is left to the runs
// without it).
const copied = 700
