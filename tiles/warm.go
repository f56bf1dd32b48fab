package tiles

// WarmZooms returns the zooms a wall opens at: that at which the source's
// bounds fit in 1024 px (TileJSON's center zoom; a 1920×1080 page that
// fits the bounds lands on it), one below for smaller screens and one
// above for a 3840×2160 wall. For Jiangyin: z10–z12, 61 tiles over its
// bounds, about 0.15 s to render.
func (s *Source) WarmZooms() (from, to int) {
	z := fitZoom(s.bound)
	return max(z-1, 0), min(z+1, MaxZoom)
}

// Warm renders into c the tiles over the source's bounds of zooms from to
// to (inclusive), coarse first, that are not cached yet, so that the first
// page to open does not wait for them; it stops early, between two tiles,
// when stop returns true, and returns how many it rendered. Zooms the
// archive covers are skipped (their tiles are reads already); others wait
// for the Source. A tile that fails to render is skipped (a request for
// it reports the error).
func (c *Cache) Warm(from, to int, stop func() bool) int {
	n := 0
	for z := from; z <= to; z++ {
		if a := c.arch.Load(); a != nil && a.Covers(z) {
			continue
		}
		src, err := c.src.Source()
		if err != nil {
			return n
		}
		for _, t := range src.TilesOver(z) {
			if stop() {
				return n
			}
			if c.cached(z, int(t.X), int(t.Y)) {
				continue
			}
			if _, err := c.Tile(z, int(t.X), int(t.Y)); err == nil {
				n++
			}
		}
	}
	return n
}

// cached reports whether tile z/x/y is in the cache, without counting a
// hit or a miss.
func (c *Cache) cached(z, x, y int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.entries[tileKey(z, x, y)]
	return ok
}
