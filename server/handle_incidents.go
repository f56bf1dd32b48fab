package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// notYet answers the incident routes until part http writes them.
func notYet(echo.Context) error {
	return &Error{Status: http.StatusNotImplemented, Code: "not_implemented", Message: "not written yet"}
}

func (s *Server) handleReport(c echo.Context) error        { return notYet(c) }
func (s *Server) handleIncidents(c echo.Context) error     { return notYet(c) }
func (s *Server) handleIncident(c echo.Context) error      { return notYet(c) }
func (s *Server) handleAction(c echo.Context) error        { return notYet(c) }
func (s *Server) handleRelocate(c echo.Context) error      { return notYet(c) }
func (s *Server) handleMe(c echo.Context) error            { return notYet(c) }
func (s *Server) handleMyIncidents(c echo.Context) error   { return notYet(c) }
func (s *Server) handleStats(c echo.Context) error         { return notYet(c) }
func (s *Server) handleStream(c echo.Context) error        { return notYet(c) }
func (s *Server) handleStaffImport(c echo.Context) error   { return notYet(c) }
func (s *Server) handleStaff(c echo.Context) error         { return notYet(c) }
func (s *Server) handleStaffVersions(c echo.Context) error { return notYet(c) }
