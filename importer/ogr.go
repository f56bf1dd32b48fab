package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo/crs"
)

// ErrNoGDAL is wrapped by the error of a source that needs GDAL's ogr2ogr
// when it cannot be found.
var ErrNoGDAL = errors.New("GDAL's ogr2ogr not found: install GDAL: apt-get install gdal-bin")

// ogrFormats are the file extensions read by way of ogr2ogr, and the
// names of their formats for messages.
var ogrFormats = map[string]string{
	".shp":  "Shapefile",
	".zip":  "zipped Shapefile",
	".gpkg": "GeoPackage",
	".kml":  "KML",
	".kmz":  "KMZ",
}

// needsOGR reports whether path is read by way of ogr2ogr.
func needsOGR(path string) bool {
	_, ok := ogrFormats[strings.ToLower(filepath.Ext(path))]
	return ok
}

// ogrConvert turns a Shapefile (loose or zipped), GeoPackage or KML (its
// layer src.FileLayer, when set) into a GeoJSON file in a new temporary directory, reprojected to EPSG:4326 lon/lat
// when the source declares its system (a .prj, or the system a GeoPackage
// holds). It returns the GeoJSON path, the declaration the importer should
// apply to it, and a cleanup function. Shapefile attributes are decoded as
// the .cpg beside the .dbf says; without a .cpg, as UTF-8 when the .dbf is
// valid UTF-8, else as GBK (CP936), the encoding of Chinese ArcGIS exports.
// An EPSG code in the CRS option is passed to ogr2ogr as the source system
// (-s_srs); gcj02 and bd09 are applied by the importer after conversion.
func ogrConvert(ctx context.Context, src Source, opts Options) (path string, decl declaration, cleanup func(), err error) {
	cleanup = func() {}
	bin := opts.OGR2OGR
	if bin == "" {
		bin = "ogr2ogr"
	}
	bin, lerr := exec.LookPath(bin)
	if lerr != nil {
		return "", decl, cleanup, ErrNoGDAL
	}
	dir, err := os.MkdirTemp("", "gridmap-ogr-")
	if err != nil {
		return "", decl, cleanup, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	in := src.Path
	if strings.EqualFold(filepath.Ext(in), ".zip") {
		if in, err = unzipShapefile(in, dir); err != nil {
			return "", decl, cleanup, err
		}
	}
	out := filepath.Join(dir, "out.geojson")
	args := []string{"-f", "GeoJSON", "-dim", "XY"}
	decl = declaration{sys: wgs84}
	if opts.CRS != "" {
		sys, _ := crs.ParseSystem(opts.CRS)
		if sys.Geographic.IsWGS84() {
			args = append(args, "-s_srs", sys.EPSG())
		} else {
			decl = declaration{sys: sys, from: declOption} // GCJ-02, BD-09: the importer converts
		}
	}
	if strings.EqualFold(filepath.Ext(in), ".shp") {
		args = append(args, shapeEncoding(in)...)
	}
	run := func(reproject bool) ([]byte, error) {
		a := append([]string(nil), args...)
		if reproject {
			a = append(a, "-t_srs", "EPSG:4326")
		}
		a = append(a, out, in)
		if src.FileLayer != "" {
			a = append(a, src.FileLayer)
		}
		os.Remove(out)
		cmd := exec.CommandContext(ctx, bin, a...)
		cmd.Env = append(os.Environ(), "OGR_CT_FORCE_TRADITIONAL_GIS_ORDER=YES")
		return cmd.CombinedOutput()
	}
	msg, err := run(true)
	if err != nil && bytes.Contains(msg, []byte("no coordinate system")) {
		// No .prj and no CRS option: take the positions as they are; the
		// importer's checks say what they look like.
		msg, err = run(false)
	}
	if err != nil {
		return "", decl, cleanup, fmt.Errorf("ogr2ogr: %v: %s", err, strings.TrimSpace(string(msg)))
	}
	return out, decl, cleanup, nil
}

// shapeEncoding returns the ogr2ogr open option for the attribute encoding
// of shapefile shp: none when a .cpg says it (GDAL reads it), else UTF-8 or
// CP936 (GBK) by whether the .dbf text is valid UTF-8.
func shapeEncoding(shp string) []string {
	base := strings.TrimSuffix(shp, filepath.Ext(shp))
	for _, ext := range []string{".cpg", ".CPG"} {
		if _, err := os.Stat(base + ext); err == nil {
			return nil
		}
	}
	var dbf []byte
	for _, ext := range []string{".dbf", ".DBF"} {
		if b, err := os.ReadFile(base + ext); err == nil {
			dbf = b
			break
		}
	}
	if len(dbf) > 32 {
		hdr := int(dbf[8]) | int(dbf[9])<<8 // header length
		if hdr < len(dbf) {
			dbf = dbf[hdr:]
		}
	}
	if utf8.Valid(dbf) {
		return []string{"-oo", "ENCODING=UTF-8"}
	}
	return []string{"-oo", "ENCODING=CP936"}
}

// unzipShapefile extracts the files of the one shapefile (or GeoPackage, or
// KML) in a zip archive into dir and returns the path of its main file.
func unzipShapefile(zipPath, dir string) (string, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return "", fmt.Errorf("open zip: %w", err)
	}
	defer zr.Close()
	var mains []string
	for _, f := range zr.File {
		name := filepath.Base(f.Name)
		ext := strings.ToLower(filepath.Ext(name))
		switch ext {
		case ".shp", ".shx", ".dbf", ".prj", ".cpg", ".gpkg", ".kml":
		default:
			continue
		}
		if f.FileInfo().IsDir() || strings.HasPrefix(name, ".") || strings.Contains(f.Name, "__MACOSX") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", fmt.Errorf("zip member %s: %w", f.Name, err)
		}
		dst := filepath.Join(dir, name)
		w, err := os.Create(dst)
		if err == nil {
			_, err = io.Copy(w, rc)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
		}
		rc.Close()
		if err != nil {
			return "", fmt.Errorf("unzip %s: %w", f.Name, err)
		}
		if ext == ".shp" || ext == ".gpkg" || ext == ".kml" {
			mains = append(mains, dst)
		}
	}
	switch len(mains) {
	case 0:
		return "", fmt.Errorf("the zip holds no .shp, .gpkg or .kml")
	case 1:
		return mains[0], nil
	}
	var names []string
	for _, m := range mains {
		names = append(names, filepath.Base(m))
	}
	return "", fmt.Errorf("the zip holds %d layers (%s): zip one layer per file, or unzip and import each as NAME=FILE", len(mains), strings.Join(names, ", "))
}
