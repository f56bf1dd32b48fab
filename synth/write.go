package synth

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

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
// feature per line, and returns the number of features.
func (s *Source) WriteLayer(ctx context.Context, w io.Writer, li, n int, lat Lattice) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := bw.WriteString(`{"type":"FeatureCollection","features":[` + "\n"); err != nil {
		return 0, err
	}
	var buf []byte
	count := 0
	for k := 1; k <= n; k++ {
		if err := ctx.Err(); err != nil {
			return count, err
		}
		dx, dy := lat.Offset(k)
		for i := range s.Layers[li].Features {
			buf = buf[:0]
			if count > 0 {
				buf = append(buf, ",\n"...)
			}
			buf = appendFeature(buf, &s.Layers[li].Features[i], k, dx, dy, lat)
			if _, err := bw.Write(buf); err != nil {
				return count, err
			}
			count++
		}
	}
	if _, err := bw.WriteString("\n]}\n"); err != nil {
		return count, err
	}
	return count, bw.Flush()
}

func appendFeature(b []byte, f *Feature, k int, dx, dy float64, lat Lattice) []byte {
	code := lat.Code(k, f.Code)
	b = append(b, `{"type":"Feature","id":"`...)
	b = append(b, code...)
	b = append(b, `","properties":{"code":"`...)
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
	b = append(b, `},"geometry":{"type":"`...)
	if f.poly {
		b = append(b, `Polygon","coordinates":`...)
		b = appendPolygon(b, f.Geom[0], dx, dy)
	} else {
		b = append(b, `MultiPolygon","coordinates":[`...)
		for i, p := range f.Geom {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendPolygon(b, p, dx, dy)
		}
		b = append(b, ']')
	}
	return append(b, "}}"...)
}

func appendPolygon(b []byte, p orb.Polygon, dx, dy float64) []byte {
	b = append(b, '[')
	for i, r := range p {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, v := range r {
			if j > 0 {
				b = append(b, ',')
			}
			m := Move(v, dx, dy)
			b = append(b, '[')
			b = strconv.AppendFloat(b, m[0], 'f', -1, 64)
			b = append(b, ',')
			b = strconv.AppendFloat(b, m[1], 'f', -1, 64)
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	return append(b, ']')
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
