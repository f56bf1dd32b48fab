//go:build race

package pgstore_test

// copied is how many incidents TestCopyRoundTrip copies: fewer under the
// race detector, which slows the SQLite store tenfold (two pages of
// incidents still).
const copied = 1200
