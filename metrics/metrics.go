// Package metrics holds gridmap's Prometheus metrics: requests by route and
// status with their latency, lookups and batch points, imports by outcome,
// the version served and its tile cache, build information, and the Go and
// process collectors. Everything is registered in one registry of the
// caller's (never the global default one). The package knows nothing of
// HTTP: the server serves the registry and calls the recorders.
package metrics

import (
	"fmt"
	"runtime"
	"time"

	"github.com/gridmap/gridmap/version"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Namespace prefixes every metric of gridmap's own.
const Namespace = "gridmap"

// BuildInfo says which build of gridmap runs (the gridmap_build_info
// metric; the Go version is the runtime's).
type BuildInfo struct {
	// Version is the release, for example "v1.4.0"; "" reads "unknown".
	Version string
	// Commit is the source's commit; "" reads "unknown".
	Commit string
}

// Versions is what the metrics read of the versions served, when scraped
// (package catalog implements it).
type Versions interface {
	// Current returns the snapshot being served, or nil.
	Current() *version.Snapshot
	// Unservable names the active version when it cannot be served.
	Unservable() *version.Unservable
	// StoreErr returns nil when the store answered its last use or
	// check, else why not (cheap: no call to the store).
	StoreErr() error
}

// Import outcomes, the values of the outcome label of the import metrics.
const (
	ImportPublished = "published" // stored, built and active
	ImportDryRun    = "dry_run"   // a dry run whose checks passed
	ImportRejected  = "rejected"  // a check failed; nothing changed
	ImportFailed    = "failed"    // any other error
)

// latencyBuckets, in seconds, span a single lookup answered in tens of
// microseconds to a million-point batch or an import of minutes.
var latencyBuckets = []float64{
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
	0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
}

// Set is gridmap's metrics, registered in one registry. The recorders
// (Route's Observe, Lookup, BatchPoints, Import) are safe for concurrent use
// and allocate nothing.
type Set struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	lookups  prometheus.Counter
	points   prometheus.Counter
	imports  *prometheus.CounterVec
	importS  *prometheus.HistogramVec
	outcomes map[string]importMetrics
}

// importMetrics are the pre-resolved metrics of one import outcome.
type importMetrics struct {
	n prometheus.Counter
	d prometheus.Observer
}

// New registers gridmap's metrics in reg and returns the recorders. The
// version metrics read v at each scrape.
func New(reg prometheus.Registerer, build BuildInfo, v Versions) (*Set, error) {
	s := &Set{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "http_requests_total",
			Help: `HTTP requests answered, by route name ("unmatched": no route, a 404 or 405) and status code.`,
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "http_request_duration_seconds",
			Help:    "Time from the request's routing to the end of its answer, by route name.",
			Buckets: latencyBuckets,
		}, []string{"route"}),
		lookups: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: Namespace, Name: "lookups_total",
			Help: "Single point lookups answered (GET /api/v1/lookup).",
		}),
		points: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: Namespace, Name: "batch_points_total",
			Help: "Points answered by batch lookups (POST /api/v1/lookup).",
		}),
		imports: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "imports_total",
			Help: "HTTP imports by outcome (published, dry_run, rejected, failed).",
		}, []string{"outcome"}),
		importS: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "import_duration_seconds",
			Help:    "Duration of HTTP imports, upload included, by outcome.",
			Buckets: []float64{0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800},
		}, []string{"outcome"}),
		outcomes: map[string]importMetrics{},
	}
	for _, o := range []string{ImportPublished, ImportDryRun, ImportRejected, ImportFailed} {
		s.outcomes[o] = importMetrics{s.imports.WithLabelValues(o), s.importS.WithLabelValues(o)}
	}
	cs := []prometheus.Collector{
		s.requests, s.latency, s.lookups, s.points, s.imports, s.importS,
		buildInfo(build),
		newVersionCollector(v),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("metrics: register: %w", err)
		}
	}
	return s, nil
}

// buildInfo is the constant gridmap_build_info gauge.
func buildInfo(b BuildInfo) prometheus.Collector {
	orUnknown := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "build_info",
		Help:        "Always 1; the labels say which build of gridmap runs.",
		ConstLabels: prometheus.Labels{"version": orUnknown(b.Version), "commit": orUnknown(b.Commit), "goversion": runtime.Version()},
	})
	g.Set(1)
	return g
}

// Lookup counts one single lookup answered.
func (s *Set) Lookup() { s.lookups.Inc() }

// BatchPoints counts n points answered by a batch.
func (s *Set) BatchPoints(n int) { s.points.Add(float64(n)) }

// Import records an HTTP import's outcome (one of the Import* constants;
// anything else counts as ImportFailed) and duration.
func (s *Set) Import(outcome string, d time.Duration) {
	m, ok := s.outcomes[outcome]
	if !ok {
		m = s.outcomes[ImportFailed]
	}
	m.n.Inc()
	m.d.Observe(d.Seconds())
}
