package shardsim

import (
	"fmt"
	"path/filepath"
)

// Deployment is the two shards, the union and (when asked for) the router
// as processes.
type Deployment struct {
	*Split
	West, East, Union, Router *Process
}

// Deploy builds gridmap into dir, splits the sample there (towns as for
// SplitSample), imports and
// serves the west shard, the east shard and their union, and, with
// router, runs `gridmap route` in front of the two shards.
func Deploy(dir string, towns int, router bool) (*Deployment, error) {
	bin, err := Build(dir)
	if err != nil {
		return nil, err
	}
	s, err := SplitSample(filepath.Join(dir, "src"), towns)
	if err != nil {
		return nil, err
	}
	d := &Deployment{Split: s}
	for _, part := range []struct {
		name  string
		towns []string
		p     **Process
	}{{"west", Codes(s.West), &d.West}, {"east", Codes(s.East), &d.East}, {"union", nil, &d.Union}} {
		args, err := s.Files(filepath.Join(dir, part.name), part.towns)
		if err == nil {
			err = Import(bin, filepath.Join(dir, part.name, "data"), args)
		}
		if err == nil {
			*part.p, err = Run(bin, "serve", "--data", filepath.Join(dir, part.name, "data"))
		}
		if err != nil {
			d.Stop()
			return nil, fmt.Errorf("shard %s: %w", part.name, err)
		}
	}
	if router {
		if d.Router, err = Run(bin, "route", "--shard", "west="+d.West.URL, "--shard", "east="+d.East.URL); err != nil {
			d.Stop()
			return nil, err
		}
	}
	return d, nil
}

// Stop stops every process of d that runs.
func (d *Deployment) Stop() {
	for _, p := range []*Process{d.Router, d.West, d.East, d.Union} {
		if p != nil {
			p.Stop()
		}
	}
}
