package server

import (
	"encoding/json"
	"sync/atomic"

	"github.com/gridmap/gridmap/version"
)

// versionCredit is the attribution of one version, kept so that its
// manifest is decoded once.
type versionCredit struct {
	id   string
	text string
}

// attribution returns the credit of the data of snap, shown with the map
// (tiles.json's attribution, the page's attribution control): the one its
// import recorded in the version, else Options.Attribution.
func (s *Server) attribution(snap *version.Snapshot) string {
	c := s.credit.Load()
	if c == nil || c.id != snap.Manifest.ID {
		var m struct {
			Attribution string `json:"attribution"`
		}
		_ = json.Unmarshal(snap.Manifest.JSON, &m) // a manifest without one credits Options.Attribution
		c = &versionCredit{id: snap.Manifest.ID, text: m.Attribution}
		s.credit.Store(c)
	}
	if c.text != "" {
		return c.text
	}
	return s.opts.Attribution
}

// creditCache holds the attribution of the version served last.
type creditCache = atomic.Pointer[versionCredit]
