package store

import (
	"bufio"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"io"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// encodeGob writes d as a layers file of format 1 (gob), as stores wrote
// them before issue 19: the files old data directories hold.
func encodeGob(w io.Writer, d *geo.Dataset) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := gob.NewEncoder(bw)
	if err := enc.Encode(header{Format: formatVersion, Layers: len(d.Layers)}); err != nil {
		return err
	}
	for _, l := range d.Layers {
		if err := enc.Encode(layerRec{Name: l.Name, Grids: len(l.Grids), Partial: l.Partial}); err != nil {
			return err
		}
		for _, g := range l.Grids {
			props, err := json.Marshal(g.Props)
			if err != nil {
				return fmt.Errorf("layer %s grid %s: properties: %w", l.Name, g.Code, err)
			}
			if err := checkPositions(g.Geom); err != nil {
				return fmt.Errorf("layer %s grid %s: %w", l.Name, g.Code, err)
			}
			rec := gridRec{Code: g.Code, Name: g.Name, Level: g.Level, Parent: g.Parent, Props: props, Geom: toRaw(g.Geom)}
			if err := enc.Encode(&rec); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

func toRaw(mp orb.MultiPolygon) [][][][2]float64 {
	out := make([][][][2]float64, len(mp))
	for i, p := range mp {
		out[i] = make([][][2]float64, len(p))
		for j, r := range p {
			pts := make([][2]float64, len(r))
			for k, pt := range r {
				pts[k] = [2]float64(pt)
			}
			out[i][j] = pts
		}
	}
	return out
}
