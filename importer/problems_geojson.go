package importer

import (
	"fmt"
	"io"
	"math"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/internal/geojsonout"
	"github.com/gridmap/gridmap/internal/sfconv"
	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// shapeOf returns the polygonal part of g (an overlay result may hold
// lines and points where grids only touch): an orb.Polygon when it has one
// polygon, else an orb.MultiPolygon; nil when it has none.
func shapeOf(g geom.Geometry) orb.Geometry {
	var polys orb.MultiPolygon
	for _, p := range g.Dump() {
		if pg, ok := p.AsPolygon(); ok && !pg.IsEmpty() {
			polys = append(polys, sfconv.OrbPolygon(pg))
		}
	}
	switch len(polys) {
	case 0:
		return nil
	case 1:
		return polys[0]
	}
	return polys
}

// WriteGeoJSON writes the problems that have a place as a GeoJSON
// FeatureCollection (WGS84 lon/lat), one Feature per problem, to open in
// QGIS over the data: the overlap, gap or overhang polygon when the problem
// has one (coordinates as computed), else a Point at its Location (rounded
// to 8 decimals, about 1 mm). Properties: kind, severity, file, feature,
// code, other, layer, area_m2, message. Problems without a place (a file
// that is not JSON, an empty file) are left out; the JSON report has them
// all. It returns the number of features written.
func (r *Report) WriteGeoJSON(w io.Writer) (int, error) {
	gw := geojsonout.NewWriter(w, geojsonout.Shortest)
	for i := range r.Problems {
		p := &r.Problems[i]
		g := p.place()
		if g == nil {
			continue
		}
		if err := gw.Write(&geojsonout.Feature{Properties: p.geoJSONProps(), Geometry: g}); err != nil {
			return gw.Count(), fmt.Errorf("problem places: %w", err)
		}
	}
	if err := gw.Close(); err != nil {
		return gw.Count(), fmt.Errorf("problem places: %w", err)
	}
	return gw.Count(), nil
}

// place returns the geometry of p in the GeoJSON of problem places: its
// shape, else its Location when that is a lon/lat, else nil.
func (p *Problem) place() orb.Geometry {
	switch {
	case p.shape != nil:
		return p.shape
	case p.Location != nil && finite(p.Location[0]) && finite(p.Location[1]) && math.Abs(p.Location[0]) <= 180 && math.Abs(p.Location[1]) <= 90:
		return orb.Point{geojsonout.Round(p.Location[0], 8), geojsonout.Round(p.Location[1], 8)}
	}
	return nil
}

// geoJSONProps returns the properties of p in the GeoJSON of problem
// places, the empty ones left out.
func (p *Problem) geoJSONProps() map[string]any {
	props := map[string]any{"kind": p.Kind, "severity": p.Severity, "message": p.Message}
	if p.File != "" {
		props["file"] = p.File
	}
	if p.Feature > 0 {
		props["feature"] = p.Feature
	}
	if p.Code != "" {
		props["code"] = p.Code
	}
	if p.Other != "" {
		props["other"] = p.Other
	}
	if p.Layer != "" {
		props["layer"] = p.Layer
	}
	if p.AreaM2 > 0 {
		props["area_m2"] = math.Round(p.AreaM2*10) / 10
	}
	return props
}

// locate gives a Location to the problems about one feature that have
// none, so that they show in the GeoJSON of problem places: the first
// vertex of the feature's outer ring, or, when its geometry was refused, its
// first position if that is a plausible lon/lat (converted when the file
// declares a system).
func (s *state) locate() {
	byFile := map[string]*fileData{}
	for _, fd := range s.files {
		byFile[fd.src.Path] = fd
	}
	for i := range s.rep.Problems {
		p := &s.rep.Problems[i]
		if p.Location != nil || p.Feature <= 0 {
			continue
		}
		fd := byFile[p.File]
		if fd == nil || p.Feature > len(fd.features) {
			continue
		}
		f := fd.features[p.Feature-1]
		switch {
		case len(f.geom) > 0 && len(f.geom[0]) > 0 && len(f.geom[0][0]) > 0 && (f.class != classProjected || fd.decl.sys.GK != nil):
			v := f.geom[0][0][0]
			p.Location = loc(v[0], v[1])
		case f.sample != [2]float64{}:
			v := f.sample
			switch conv := fd.decl.sys.Converter(); {
			case f.class == classSwapped:
				v[0], v[1] = v[1], v[0]
			case conv != nil:
				v = conv(v)
			case f.class == classProjected:
				// Undeclared: place it by the zone its easting names, if any.
				if g, ok := crs.GaussKrugerEPSG(crs.EPSGOfEasting(v[0])); ok {
					v = g.Inverse(v)
				}
			}
			if finite(v[0]) && finite(v[1]) && math.Abs(v[0]) <= 180 && math.Abs(v[1]) <= 90 {
				p.Location = loc(v[0], v[1])
			}
		}
		if p.Location == nil && s.base != nil {
			// no usable position in the feature: the place of the grid it
			// replaces, or of its parent, in the active version
			for _, code := range []string{f.code, f.parent} {
				if g := gridByCode(s.base, code); g != nil && len(g.Geom) > 0 && len(g.Geom[0]) > 0 && len(g.Geom[0][0]) > 0 {
					v := g.Geom[0][0][0]
					p.Location = loc(v[0], v[1])
					break
				}
			}
		}
	}
}

// gridByCode returns the grid of d with the code, in any layer, or nil.
func gridByCode(d *geo.Dataset, code string) *geo.Grid {
	if code == "" {
		return nil
	}
	for _, l := range d.Layers {
		if g := l.Grid(code); g != nil {
			return g
		}
	}
	return nil
}
