package tiles

import "testing"

// TestWarm: Warm caches every tile over the bounds of its zooms, renders
// none a second time, and renders nothing when told to stop.
func TestWarm(t *testing.T) {
	_, s := jiangyinSource(t)
	from, to := s.WarmZooms()
	if from > to || to-from > 2 {
		t.Fatalf("WarmZooms = %d, %d", from, to)
	}
	want := 0
	for z := from; z <= to; z++ {
		want += len(s.TilesOver(z))
	}
	for _, tc := range []struct {
		name     string
		stopped  bool
		warmed   int
		rendered int // by a second Warm
	}{
		{"whole", false, want, 0},
		{"stopped", true, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCache(s, CacheOptions{})
			stop := func() bool { return tc.stopped }
			if n := c.Warm(from, to, stop); n != tc.warmed {
				t.Errorf("Warm(%d, %d) rendered %d tiles, want %d", from, to, n, tc.warmed)
			}
			if st := c.Stats(); st.Tiles != tc.warmed {
				t.Errorf("cache holds %d tiles, want %d", st.Tiles, tc.warmed)
			}
			if n := c.Warm(from, to, stop); n != tc.rendered {
				t.Errorf("second Warm rendered %d tiles, want %d", n, tc.rendered)
			}
		})
	}
	t.Logf("zooms %d–%d: %d tiles", from, to, want)
}
