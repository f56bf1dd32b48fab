package crs_test

import (
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/geo/crs"
)

// TestParseWKT: .prj texts as ArcGIS, QGIS and PROJ write them.
func TestParseWKT(t *testing.T) {
	tests := []struct{ name, prj, want string }{
		{"esri zone", `PROJCS["CGCS2000_3_Degree_GK_Zone_40",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",40500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`, "EPSG:4528"},
		{"esri cm", `PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"]]`, "EPSG:4549"},
		{"esri 6 zone", `PROJCS["CGCS2000_GK_Zone_20",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"]]`, "EPSG:4498"},
		{"esri 6 cm", `PROJCS["CGCS2000_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"]]`, "EPSG:4509"},
		{"ogc authority", `PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 40",GEOGCS["China Geodetic Coordinate System 2000",AUTHORITY["EPSG","4490"]],AUTHORITY["EPSG","4528"]]`, "EPSG:4528"},
		{"ogc name", `PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 120E",GEOGCS["China Geodetic Coordinate System 2000"]]`, "EPSG:4549"},
		{"geographic cgcs", `GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000"]]`, "EPSG:4490"},
		{"geographic wgs", `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984"]]`, "EPSG:4326"},
		{"unsupported", `PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984"]]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := crs.ParseWKT(tt.prj)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("got %s, want an error", s.Name)
				}
				return
			}
			if err != nil || s.Name != tt.want {
				t.Errorf("got %q, %v; want %s", s.Name, err, tt.want)
			}
		})
	}
	// Every projected EPSG code, as PROJ names it in ESRI WKT, round trips.
	for code := 4491; code <= 4554; code++ {
		g, _ := crs.GaussKrugerEPSG(code)
		var name string
		switch {
		case g.Width == 3 && g.ZoneInEasting:
			name = "CGCS2000_3_Degree_GK_Zone_" + strconv.Itoa(g.Zone)
		case g.Width == 3:
			name = "CGCS2000_3_Degree_GK_CM_" + strconv.Itoa(int(g.Lon0)) + "E"
		case g.ZoneInEasting:
			name = "CGCS2000_GK_Zone_" + strconv.Itoa(g.Zone)
		default:
			name = "CGCS2000_GK_CM_" + strconv.Itoa(int(g.Lon0)) + "E"
		}
		s, err := crs.ParseWKT(`PROJCS["` + name + `",GEOGCS["x"]]`)
		if err != nil || s.Name != "EPSG:"+strconv.Itoa(code) {
			t.Errorf("%s: got %q, %v; want EPSG:%d", name, s.Name, err, code)
		}
	}
}
