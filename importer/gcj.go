package importer

func (s *state) checkGCJ02() {}
