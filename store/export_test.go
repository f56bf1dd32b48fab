package store

// HoldTemps makes, in s, the temporary entries of a publish and of an
// activation in progress, locked as a live writer holds them until it
// exits, and returns their paths.
func HoldTemps(s *Dir) (dir, pointer string, err error) {
	d, err := s.newVersionTemp()
	if err != nil {
		return "", "", err
	}
	p, err := s.newPointerTemp()
	if err != nil {
		return "", "", err
	}
	return d.Name(), p.Name(), nil
}
