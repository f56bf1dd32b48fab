package incident

// BBoxGrids exposes the grid codes a bbox listing of box by pages of
// limit walks and whether it walks grids at all (see Service.bboxGrids).
func (s *Service) BBoxGrids(box [4]float64, limit int) ([]string, bool) {
	return s.bboxGrids(box, limit)
}
