package server

import (
	"errors"
	"net/http"

	"github.com/gridmap/gridmap/version"
	"github.com/labstack/echo/v4"
)

// readiness is the answer of GET /readyz while a version is served.
type readiness struct {
	// Status is "ready": lookups and tiles are answered.
	Status string `json:"status"`
	// Version is the version served.
	Version string `json:"version"`
	// Store is "ok", or "unreachable" while the store cannot be read.
	Store string `json:"store"`
	// Writes says whether imports, activations and incidents are taken.
	Writes bool `json:"writes"`
	// Problem says why the store cannot be read.
	Problem string `json:"problem,omitempty"`
}

// handleReady answers GET /readyz, the readiness probe for a load
// balancer: 200 while a version is served, whatever the store's state,
// since lookups and tiles never touch the store; the answer says whether
// the store can be read now and so whether writes are taken (store
// "unreachable", writes false, and the problem, while a database is away).
// 503 no_version while no version is served. /healthz says whether the
// process is alive.
func (s *Server) handleReady(c echo.Context) error {
	err := s.versions.Ready(c.Request().Context())
	if errors.Is(err, version.ErrNoVersion) {
		return err
	}
	r := readiness{Status: "ready", Version: s.Version(), Store: "ok", Writes: true}
	if err != nil {
		r.Store, r.Writes, r.Problem = "unreachable", false, err.Error()
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, r)
}
