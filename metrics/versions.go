package metrics

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/gridmap/gridmap/version"
	"github.com/prometheus/client_golang/prometheus"
)

// versionCollector reports, at each scrape, the version served, its age
// and its tile cache's counters (read from the cache, which belongs to the
// version: they start at zero with each version, hence their version
// label).
type versionCollector struct {
	v Versions

	active, age, unservable, up  *prometheus.Desc
	hits, renders, tiles, cacheB *prometheus.Desc

	mu sync.Mutex
	// created is the publish time of the snapshot seen last (parsed from
	// its manifest once, not at every scrape)
	seen    *version.Snapshot
	created time.Time
}

func newVersionCollector(v Versions) *versionCollector {
	desc := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(Namespace, "", name), help, labels, nil)
	}
	return &versionCollector{
		v:          v,
		active:     desc("active_version", "1 for the version being served (label version); absent while none is.", "version"),
		age:        desc("active_version_age_seconds", "Seconds since the version being served was published."),
		unservable: desc("active_version_unservable", "1 while the store's active version cannot be served (another, or none, is served instead), else 0."),
		up:         desc("store_up", "1 while the store answered its last use or check, 0 while it cannot be reached (the version held is served; writes are refused)."),
		hits:       desc("tile_cache_hits_total", "Tiles answered from the tile cache of the version served.", "version"),
		renders:    desc("tile_renders_total", "Tiles rendered for the version served (cache misses that rendered).", "version"),
		tiles:      desc("tile_cache_tiles", "Tiles held in the tile cache of the version served.", "version"),
		cacheB:     desc("tile_cache_bytes", "Bytes held in the tile cache of the version served.", "version"),
	}
}

// Describe implements prometheus.Collector.
func (c *versionCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.active, c.age, c.unservable, c.up, c.hits, c.renders, c.tiles, c.cacheB} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *versionCollector) Collect(ch chan<- prometheus.Metric) {
	bad := 0.0
	if c.v.Unservable() != nil {
		bad = 1
	}
	ch <- prometheus.MustNewConstMetric(c.unservable, prometheus.GaugeValue, bad)
	up := 1.0
	if c.v.StoreErr() != nil {
		up = 0
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up)
	snap := c.v.Current()
	if snap == nil {
		return
	}
	id := snap.Manifest.ID
	ch <- prometheus.MustNewConstMetric(c.active, prometheus.GaugeValue, 1, id)
	if t := c.createdOf(snap); !t.IsZero() {
		ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, time.Since(t).Seconds())
	}
	if snap.TileCache == nil {
		return
	}
	st := snap.TileCache.Stats()
	ch <- prometheus.MustNewConstMetric(c.hits, prometheus.CounterValue, float64(st.Hits), id)
	ch <- prometheus.MustNewConstMetric(c.renders, prometheus.CounterValue, float64(st.Misses-st.Shared), id)
	ch <- prometheus.MustNewConstMetric(c.tiles, prometheus.GaugeValue, float64(st.Tiles), id)
	ch <- prometheus.MustNewConstMetric(c.cacheB, prometheus.GaugeValue, float64(st.Bytes), id)
}

// createdOf returns the publish time in snap's manifest ("created"), or
// the zero time when it has none.
func (c *versionCollector) createdOf(snap *version.Snapshot) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if snap != c.seen {
		var m struct {
			Created time.Time `json:"created"`
		}
		_ = json.Unmarshal(snap.Manifest.JSON, &m) // a manifest without it has no age
		c.seen, c.created = snap, m.Created
	}
	return c.created
}
