package incident

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/gridmap/gridmap/staff"
)

// ImportRoster reads a staff roster from CSV (see staff.ReadCSV), refuses
// it when it names a grid code that no layer of the version served holds
// (a roster of another place is a mistake; no check when no version is
// served), stores it as a new version and makes it the one dispatch uses.
// A bad row is a *FieldError naming its line and column.
func (s *Service) ImportRoster(ctx context.Context, r io.Reader, source string) (staff.Version, error) {
	ro, err := staff.ReadCSV(r, s.opts.Roles)
	if err != nil {
		return staff.Version{}, fmt.Errorf("roster %s: %w", source, lineError(err))
	}
	if snap := s.opts.Current(); snap != nil {
		known := func(code string) bool {
			for _, l := range snap.Data.Layers {
				if l.Grid(code) != nil {
					return true
				}
			}
			return false
		}
		if err := ro.CheckGrids(known); err != nil {
			return staff.Version{}, fmt.Errorf("roster %s: %w", source, lineError(err))
		}
	}
	ro.Version.Source = source
	ro.Version.Created = s.opts.Now().UTC()
	s.rosterMu.Lock()
	defer s.rosterMu.Unlock()
	v, err := s.opts.Store.PutRoster(ctx, ro)
	if err != nil {
		return staff.Version{}, fmt.Errorf("roster %s: %w", source, err)
	}
	ro.Version = v
	s.roster.Store(ro)
	s.opts.Log.Info("roster imported", "version", v.ID, "people", v.People, "sha256", v.SHA256)
	return v, nil
}

// lineError turns a *staff.LineError into a *FieldError (the HTTP layer
// maps the service's errors only); other errors pass.
func lineError(err error) error {
	var le *staff.LineError
	if errors.As(err, &le) {
		return &FieldError{Field: le.Field, Line: le.Line, Msg: le.Msg}
	}
	return err
}

// Roster returns the active roster (empty when none was imported). The
// caller must not change it.
func (s *Service) Roster() *staff.Roster { return s.roster.Load() }
