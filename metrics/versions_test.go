package metrics_test

import "github.com/gridmap/gridmap/version"

// noVersions serves nothing.
type noVersions struct{}

func (noVersions) Current() *version.Snapshot      { return nil }
func (noVersions) Unservable() *version.Unservable { return nil }
func (noVersions) StoreErr() error                 { return nil }
