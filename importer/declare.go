package importer

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/gridmap/gridmap/geo/crs"
)

// Where a file's coordinate system was declared.
const (
	declOption = "the CRS option"
	declMember = `the GeoJSON "crs" member`
)

// declaration is the coordinate system a file's positions are in, and
// where that was said ("" when nothing was: WGS84 is assumed).
type declaration struct {
	sys  crs.System
	from string
}

// declare returns the declaration of src before its text is read: the
// CRS option when set, else a .prj beside the file, else none.
func declare(src Source, opts Options) (declaration, *Problem) {
	if opts.CRS != "" {
		sys, err := crs.ParseSystem(opts.CRS)
		if err != nil { // Validate has checked it
			return declaration{sys: wgs84}, nil
		}
		return declaration{sys: sys, from: declOption}, nil
	}
	path, text := prjBeside(src.Path)
	if path == "" {
		return declaration{sys: wgs84}, nil
	}
	sys, err := crs.ParseWKT(text)
	if err != nil {
		return declaration{sys: wgs84}, &Problem{Kind: KindCRSUnsupported, Message: fmt.Sprintf("%s: %s: %v; declare the system with the CRS option (gridmap import --crs EPSG:NNNN) or reproject to EPSG:4490", src.Path, path, err)}
	}
	return declaration{sys: sys, from: path}, nil
}

// crsMember reads a GeoJSON "crs" member (the named form of the 2008
// GeoJSON specification, as ogr2ogr and QGIS write it:
// {"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4528"}}) and
// makes it the file's declaration unless the CRS option overrides it.
func (rd *reader) crsMember(raw json.RawMessage) {
	fd := rd.fd
	var m struct {
		Type       string `json:"type"`
		Properties struct {
			Name string `json:"name"`
			Code any    `json:"code"`
		} `json:"properties"`
	}
	if string(raw) == "null" || len(raw) == 0 {
		return
	}
	name := ""
	if err := json.Unmarshal(raw, &m); err == nil {
		switch {
		case m.Properties.Name != "":
			name = m.Properties.Name
		case m.Properties.Code != nil:
			name = fmt.Sprintf("EPSG:%v", m.Properties.Code)
		}
	}
	sys, err := crs.ParseSystem(name)
	if name == "" || err != nil {
		if fd.decl.from == declOption {
			return
		}
		why := "not a named crs"
		if err != nil {
			why = err.Error()
		}
		fd.add(Problem{Kind: KindCRSUnsupported,
			Message: fmt.Sprintf("%s: %s %s: %s; declare the system with the CRS option (gridmap import --crs EPSG:NNNN) or reproject to EPSG:4490", fd.src.Path, declMember, raw, why)})
		return
	}
	if fd.decl.from == declOption {
		// A GCJ-02 export commonly (and wrongly) declares CRS84: say
		// nothing unless a projected system is involved.
		if sys.Name != fd.decl.sys.Name && (sys.GK != nil || fd.decl.sys.GK != nil) {
			fd.add(Problem{Kind: KindCRSUnsupported, Severity: SeverityWarning,
				Message: fmt.Sprintf("%s: the file declares %s, the CRS option says %s: using %s", fd.src.Path, sys.Name, fd.decl.sys.Name, fd.decl.sys.Name)})
		}
		return
	}
	fd.decl = declaration{sys: sys, from: declMember}
}

// applyDeclaration settles the features whose positions look projected once
// the whole file (and so its "crs" member, wherever it stands) is read. With
// a declared Gauss–Krüger system those features keep their geometry (it is
// converted with the other positions later) and any feature in lon/lat is an
// error; without one they lose it, and fileHeuristics reports them.
func applyDeclaration(fd *fileData) {
	gk := fd.decl.sys.GK
	for _, f := range fd.features {
		switch {
		case gk == nil && f.class == classProjected:
			f.geom = nil
		case gk != nil && f.class == classProjected:
			if bad, ok := gkMismatch(f, gk); ok {
				fd.add(Problem{Kind: KindProjected, Feature: f.index, Code: f.code, Location: nil,
					Message: fmt.Sprintf("%s: easting %.3f does not belong to %s declared by %s (%s); %s",
						where(fd.src.Path, f.index, f.code), bad[0], fd.decl.sys.Name, fd.decl.from, gk.Name, guessEPSG(bad[0]))})
				f.geom = nil
				f.class = classRejected
			}
		case gk != nil && f.geom != nil:
			fd.add(Problem{Kind: KindCoordinateInvalid, Feature: f.index, Code: f.code,
				Message: fmt.Sprintf("%s: position [%g, %g] is not in the metres of %s declared by %s (%s)",
					where(fd.src.Path, f.index, f.code), f.sample[0], f.sample[1], fd.decl.sys.Name, fd.decl.from, gk.Name)})
			f.geom = nil
			f.class = classRejected
		}
	}
}

// gkMismatch returns the first position of f whose easting cannot be in gk.
func gkMismatch(f *feature, gk *crs.GaussKruger) (*[2]float64, bool) {
	for _, p := range f.geom {
		for _, r := range p {
			for _, v := range r {
				if !gk.Fits(v[0]) || math.IsNaN(v[1]) {
					return &[2]float64{v[0], v[1]}, true
				}
			}
		}
	}
	return nil, false
}
