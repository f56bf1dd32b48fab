package synth

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/gridmap/gridmap/internal/geojsonout"
	"github.com/paulmach/orb"
)

// Stats counts what Write wrote.
type Stats struct {
	// Features per layer, in the order of LayerNames.
	Features []int
	// Bytes per layer.
	Bytes []int64
	// Files are the paths written, in the order of LayerNames.
	Files []string
}

// Write writes n copies of s to dir as one GeoJSON FeatureCollection per
// layer (dir/NAME.geojson), margin degrees apart (DefaultMargin when ≤ 0).
// Files are streamed feature by feature.
func (s *Source) Write(ctx context.Context, dir string, n int, margin float64) (Stats, error) {
	if n < 1 {
		return Stats{}, fmt.Errorf("synth: copies must be ≥ 1, got %d", n)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, err
	}
	lat := s.NewLattice(n, margin)
	var st Stats
	for li := range s.Layers {
		path := filepath.Join(dir, s.Layers[li].Name+".geojson")
		nf, nb, err := s.writeFile(ctx, path, li, n, lat)
		if err != nil {
			return st, err
		}
		st.Features = append(st.Features, nf)
		st.Bytes = append(st.Bytes, nb)
		st.Files = append(st.Files, path)
	}
	return st, nil
}

func (s *Source) writeFile(ctx context.Context, path string, li, n int, lat Lattice) (int, int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, err
	}
	cw := &countWriter{w: f}
	nf, err := s.WriteLayer(ctx, cw, li, n, lat)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, fmt.Errorf("synth: write %s: %w", path, err)
	}
	return nf, cw.n, nil
}

// WriteLayer writes layer li of n copies to w as a FeatureCollection, one
// feature per line, (lon, lat) in the source's system (WGS84) with the
// fewest digits that read back exactly, and returns the number of features.
func (s *Source) WriteLayer(ctx context.Context, w io.Writer, li, n int, lat Lattice) (int, error) {
	gw := geojsonout.NewWriter(w, geojsonout.Shortest)
	var props []byte
	var moved orb.MultiPolygon
	for k := 1; k <= n; k++ {
		if err := ctx.Err(); err != nil {
			return gw.Count(), err
		}
		dx, dy := lat.Offset(k)
		for i := range s.Layers[li].Features {
			f := &s.Layers[li].Features[i]
			code := lat.Code(k, f.Code)
			props = appendProps(props[:0], f, k, code, lat)
			moved = moveInto(moved, f.Geom, dx, dy)
			gf := geojsonout.Feature{ID: code, RawProperties: props, Geometry: moved}
			if f.poly {
				gf.Geometry = moved[0]
			}
			if err := gw.Write(&gf); err != nil {
				return gw.Count(), err
			}
		}
	}
	return gw.Count(), gw.Close()
}

// appendProps appends the properties of copy k of f as a JSON object: code,
// name, level, parent, then the others in key order.
func appendProps(b []byte, f *Feature, k int, code string, lat Lattice) []byte {
	b = append(b, `{"code":"`...)
	b = append(b, code...)
	b = append(b, `","name":`...)
	b = append(b, f.nameJSON...)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(k), 10)
	b = append(b, '"')
	if f.Level != "" {
		b = append(b, `,"level":`...)
		b = strconv.AppendQuote(b, f.Level)
	}
	if f.Parent != "" {
		b = append(b, `,"parent":"`...)
		b = append(b, lat.Code(k, f.Parent)...)
		b = append(b, '"')
	}
	b = append(b, f.extra...)
	return append(b, '}')
}

// moveInto returns mp moved as Move moves each vertex, reusing the slices
// of dst where they are large enough.
func moveInto(dst, mp orb.MultiPolygon, dx, dy float64) orb.MultiPolygon {
	dst = grow(dst, len(mp))
	for i, p := range mp {
		dst[i] = grow(dst[i], len(p))
		for j, r := range p {
			dst[i][j] = grow(dst[i][j], len(r))
			for k, v := range r {
				dst[i][j][k] = Move(v, dx, dy)
			}
		}
	}
	return dst
}

// grow returns s with length n, reallocated only when its capacity is less.
func grow[S ~[]E, E any](s S, n int) S {
	if cap(s) < n {
		return make(S, n)
	}
	return s[:n]
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
