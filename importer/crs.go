package importer

import (
	"os"
	"strings"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

// wgs84 is the model's system: no conversion.
var wgs84 = crs.WGS84.System()

// transformMP applies fn to every position of mp in place.
func transformMP(mp orb.MultiPolygon, fn func(orb.Point) orb.Point) {
	for _, p := range mp {
		for _, r := range p {
			for i := range r {
				r[i] = fn(r[i])
			}
		}
	}
}

// prjBeside returns the text of the .prj beside path (same name, extension
// .prj), or "" when there is none.
func prjBeside(path string) (string, string) {
	base := path
	if i := strings.LastIndex(base, "."); i > strings.LastIndexAny(base, `/\`) {
		base = base[:i]
	}
	for _, ext := range []string{".prj", ".PRJ"} {
		if b, err := os.ReadFile(base + ext); err == nil {
			return base + ext, string(b)
		}
	}
	return "", ""
}
