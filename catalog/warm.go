package catalog

import (
	"time"

	"github.com/gridmap/gridmap/version"
)

// warm renders the tiles a wall opens at into snap's cache
// (tiles.Source.WarmZooms), so that the first page does not wait for
// them; it stops when another version is served.
func (c *Catalog) warm(snap *version.Snapshot) {
	if snap.TileCache == nil {
		return
	}
	start := time.Now()
	from, to := snap.Tiles.WarmZooms()
	n := snap.TileCache.Warm(from, to, func() bool { return c.cur.Load() != snap })
	c.log.Printf("version %s: %d tiles of z%d–%d rendered ahead in %s", snap.Manifest.ID, n, from, to, time.Since(start).Round(time.Millisecond))
}
