package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/config"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/live"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/stats"
	tileincidents "github.com/gridmap/gridmap/tiles/incidents"
)

// hubRing is how many events the live stream keeps for clients that
// reconnect: at the 2,000 incidents a second of the load test (an incident
// and a counts event each) two and a half seconds; at a county's 95,000 a
// year, days.
const hubRing = 10000

// incidentParts are the incident loop of gridmap serve: the embedded store
// (DATA/incidents.db), the service over it, the figures and tiles it feeds
// and the hub of the live stream.
type incidentParts struct {
	store  incident.Store
	svc    *incident.Service
	ledger *stats.Ledger
	tiles  *tileincidents.Source
	hub    *live.Hub
	// ran is closed when the service's deadline sweeps stop
	ran chan struct{}
}

// openIncidents opens the incident store of cfg's data directory and the
// service over it, locating incidents in the version cat serves. When
// seed is set (the bundled sample was just imported) an empty store gets
// the sample's roster and incidents.
func openIncidents(ctx context.Context, cfg *config.Config, cat *catalog.Catalog, logger *slog.Logger, seed bool, stdout io.Writer) (*incidentParts, error) {
	st, err := openIncidentStore(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("incident store: %w", err)
	}
	p := &incidentParts{store: st, ledger: stats.NewLedger(), tiles: tileincidents.New(), hub: live.NewHub(hubRing), ran: make(chan struct{})}
	o := cliIncidentOptions(cfg)
	o.Store, o.Current, o.Publisher = st, cat.Current, p.hub
	o.Sinks, o.Counter = []incident.Sink{p.ledger, p.tiles}, p.ledger
	o.SweepEvery, o.Log = cfg.Incidents.SweepEvery, logger
	if p.svc, err = incident.New(ctx, o); err != nil {
		st.Close()
		return nil, err
	}
	if seed {
		if err := seedIncidents(ctx, p.svc, cat.Current(), stdout); err != nil {
			st.Close()
			return nil, err
		}
	}
	return p, nil
}

// run sweeps deadlines until ctx ends.
func (p *incidentParts) run(ctx context.Context) {
	defer close(p.ran)
	p.svc.Run(ctx)
}

// serverOptions puts the incident parts into o.
func (p *incidentParts) serverOptions(o *server.Options) {
	o.Incidents, o.Stats, o.Hub, o.IncidentTiles = p.svc, p.ledger, p.hub, p.tiles
}

// close ends the live streams and, once the sweeps stopped (ctx ended),
// closes the store: after the server, which no longer writes.
func (p *incidentParts) close() error {
	p.hub.Close()
	<-p.ran
	if err := p.store.Close(); err != nil {
		return fmt.Errorf("close incident store: %w", err)
	}
	return nil
}
