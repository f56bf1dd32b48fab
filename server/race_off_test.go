//go:build !race

package server_test

// raceBuild is true under the race detector, where sync.Pool drops items
// at random and allocation counts mean nothing.
const raceBuild = false
