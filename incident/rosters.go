package incident

import (
	"context"

	"github.com/gridmap/gridmap/staff"
)

// Rosters lists the stored roster versions, newest first (GET
// /api/v1/staff/versions).
func (s *Service) Rosters(ctx context.Context) ([]staff.Version, error) {
	return s.opts.Store.Rosters(ctx)
}
