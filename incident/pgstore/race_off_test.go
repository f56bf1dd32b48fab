//go:build !race

package pgstore_test

// copied is how many incidents TestCopyRoundTrip copies.
const copied = 3000
