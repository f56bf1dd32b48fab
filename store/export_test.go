package store

import "os"

// HoldTemps makes, in s, the temporary entries of a publish and of an
// activation in progress, locked as a live writer holds them until it
// exits, and returns their paths.
func HoldTemps(s *Dir) (dir, pointer string, err error) {
	d, err := createLocked(func() (*os.File, error) {
		p, err := os.MkdirTemp(s.versionDir(""), tmpVersionPrefix)
		if err != nil {
			return nil, err
		}
		return os.Open(p)
	})
	if err != nil {
		return "", "", err
	}
	p, err := createLocked(func() (*os.File, error) {
		return os.CreateTemp(s.path, tmpActivePrefix+"*"+tmpActiveSuffix)
	})
	if err != nil {
		return "", "", err
	}
	return d.Name(), p.Name(), nil
}
