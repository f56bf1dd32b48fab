// Package storetest is the contract every store.Store keeps, as one suite
// of tests that each implementation runs on itself (store.Dir in package
// store, the PostgreSQL store in store/pgstore): publish and activation,
// the errors, atomicity, concurrent publishers, Restore and the published
// files of version.Files.
package storetest

import (
	"bytes"
	"context"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/store"
	"github.com/paulmach/orb"
)

// Storage makes a new, empty storage for t (a directory, a database) and
// returns the function that opens a handle on it: each call is another
// handle on the same storage, as another process would open it. Handles
// are closed when t ends.
type Storage func(t *testing.T) (open func() store.Store)

// Run runs the whole contract on the stores of storage, each case on a
// new storage. Every store must implement store.Restorer and version.Files.
func Run(t *testing.T, storage Storage) {
	cases := []struct {
		name string
		run  func(t *testing.T, open func() store.Store)
	}{
		{"Empty", testEmpty},
		{"BadIDs", testBadIDs},
		{"PublishLoad", testPublishLoad},
		{"ActivateRollBack", testActivate},
		{"PublishAtomic", testPublishAtomic},
		{"ConcurrentPublishers", testConcurrent},
		{"Restore", testRestore},
		{"FilesRoundTrip", testFiles},
		{"FilesAtomicReplace", testFilesReplace},
		{"FilesOtherHandle", testFilesOtherHandle},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, storage(t)) })
	}
}

// square is the square of side s (degrees) with its south-west corner at
// (x0, y0), WGS84 lon/lat.
func square(x0, y0, s float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x0 + s, y0}, {x0 + s, y0 + s}, {x0, y0 + s}, {x0, y0}}}}
}

// Dataset returns a small synthetic dataset of three layers, the last
// partial, told apart by name: a county, two towns tiling it, and a
// building inside one town.
func Dataset(t testing.TB, name string) *geo.Dataset {
	t.Helper()
	county := geo.NewLayer("county", []*geo.Grid{{Code: "1", Name: name, Props: map[string]any{"code": "1", "households": 3.0}, Geom: square(120, 31, 2)}})
	towns := geo.NewLayer("towns", []*geo.Grid{
		{Code: "11", Parent: "1", Name: name + " a", Props: map[string]any{"code": "11", "tags": []any{"x", "y"}}, Geom: square(120, 31, 1)},
		{Code: "12", Parent: "1", Name: name + " b", Props: map[string]any{"code": "12"}, Geom: square(121, 31, 1)},
	})
	buildings := geo.NewLayer("buildings", []*geo.Grid{{Code: "111", Parent: "11", Name: "楼 1", Props: map[string]any{}, Geom: square(120.25, 31.25, 0.5)}})
	buildings.Partial = true
	d, err := geo.NewDataset([]*geo.Layer{county, towns, buildings})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Encoded returns d's encoding, which is equal for equal datasets.
func Encoded(t testing.TB, d *geo.Dataset) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := store.EncodeDataset(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// SameDataset fails t unless got encodes as want does.
func SameDataset(t testing.TB, what string, got, want *geo.Dataset) {
	t.Helper()
	if !bytes.Equal(Encoded(t, got), Encoded(t, want)) {
		t.Errorf("%s: the dataset differs from the one published", what)
	}
}

// meta is the Meta the suite publishes with: every field set.
func meta(note string) store.Meta {
	return store.Meta{
		Who:         "storetest",
		Sources:     []store.SourceFile{{Layer: "towns", Name: "towns.geojson", SHA256: "ab", Bytes: 42}},
		Report:      map[string]any{"grids": 4.0, "warnings": []any{"none"}},
		Note:        note,
		Attribution: "© storetest, CC BY 4.0",
	}
}

var ctx = context.Background()
