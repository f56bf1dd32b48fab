package server

import (
	"net/http"
	"net/http/pprof"

	"github.com/gridmap/gridmap/metrics"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metricsHandler serves the registry of Options.Metrics in the Prometheus
// exposition format.
func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.opts.Metrics, promhttp.HandlerOpts{ErrorLog: s.log})
}

// handleMetrics answers GET /metrics: gridmap's metrics (metrics package),
// Go's and the process's.
func (s *Server) handleMetrics(c echo.Context) error {
	s.prom.ServeHTTP(c.Response(), c.Request())
	return nil
}

// AdminHandler returns the handler of the admin address: /metrics again
// and, when Options.Pprof is set, net/http/pprof under /debug/pprof/. It
// takes no credential: serve it only on an address operators alone reach.
// Handler never serves pprof.
func (s *Server) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.prom)
	if s.opts.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index) // and the named profiles under it
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	return mux
}

// importOutcome names the outcome of an import (for its metrics) by the
// status and body runImport gave it.
func importOutcome(status int, body any) string {
	switch status {
	case http.StatusCreated:
		return metrics.ImportPublished
	case http.StatusOK:
		return metrics.ImportDryRun
	}
	if e, ok := body.(*Error); ok && e.Code == "import_rejected" {
		return metrics.ImportRejected
	}
	return metrics.ImportFailed
}
