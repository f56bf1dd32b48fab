package importer

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// TestGaussKrugerRoundTrip projects and inverts points over every CGCS2000
// Gauss–Krüger zone, out to the zone's edge and beyond, and wants the round
// trip back within 1 mm (it is in fact within a micrometre).
func TestGaussKrugerRoundTrip(t *testing.T) {
	for code := 4491; code <= 4554; code++ {
		g, ok := gaussKrugerEPSG(code)
		if !ok {
			t.Fatalf("EPSG:%d not known", code)
		}
		worst := 0.0
		half := float64(g.width)/2 + 1 // one degree past the zone edge
		for dl := -half; dl <= half; dl += half / 7 {
			for lat := 0.5; lat < 56; lat += 3.7 {
				p := orb.Point{g.lon0 + dl, lat}
				q := g.Inverse(g.Forward(p))
				worst = math.Max(worst, distM(p, q))
			}
		}
		if worst > 1e-3 {
			t.Errorf("EPSG:%d: round trip off by %.6f m, want < 1 mm", code, worst)
		}
	}
}

// TestGaussKrugerPROJ checks the projection against coordinates computed
// independently by PROJ 9 (cs2cs, which uses the Poder/Engsager extended
// transverse Mercator, not Krüger's series):
//
//	echo "31.9 120.3" | cs2cs -f %.4f EPSG:4490 EPSG:4528
//	3530803.1014	40528378.7242
//
// and so on for each row.
func TestGaussKrugerPROJ(t *testing.T) {
	tests := []struct {
		epsg     int
		lon, lat float64
		e, n     float64
	}{
		{4528, 120.3, 31.9, 40528378.7242, 3530803.1014},
		{4549, 120.3, 31.9, 528378.7242, 3530803.1014},
		{4528, 121.9, 31.9, 40679746.2119, 3532339.1041},
		{4498, 117.1, 39.1, 20508650.4344, 4329610.3892},
		{4508, 126.63, 45.75, 1715645.8293, 5188549.3301}, // 15.6° off the central meridian
	}
	for _, tt := range tests {
		t.Run(strings.TrimSpace(string(rune('0'+tt.epsg%10)))+"_"+itoa(tt.epsg), func(t *testing.T) {
			g, _ := gaussKrugerEPSG(tt.epsg)
			f := g.Forward(orb.Point{tt.lon, tt.lat})
			if d := math.Hypot(f[0]-tt.e, f[1]-tt.n); d > 1e-3 {
				t.Errorf("forward (%g, %g) = (%.4f, %.4f), PROJ (%.4f, %.4f): %.4f m apart", tt.lon, tt.lat, f[0], f[1], tt.e, tt.n, d)
			}
			inv := g.Inverse(orb.Point{tt.e, tt.n})
			if d := distM(inv, orb.Point{tt.lon, tt.lat}); d > 1e-3 {
				t.Errorf("inverse (%.4f, %.4f) = (%.9f, %.9f), want (%g, %g): %.4f m apart", tt.e, tt.n, inv[0], inv[1], tt.lon, tt.lat, d)
			}
		})
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestParseSystem(t *testing.T) {
	tests := []struct {
		in      string
		name    string
		zone    int
		lon0    float64
		falseE  float64
		wantErr bool
	}{
		{"", "wgs84", 0, 0, 0, false},
		{"EPSG:4326", "EPSG:4326", 0, 0, 0, false},
		{"epsg:4490", "EPSG:4490", 0, 0, 0, false},
		{"gcj02", "gcj02", 0, 0, 0, false},
		{"BD09", "bd09", 0, 0, 0, false},
		{"EPSG:4528", "EPSG:4528", 40, 120, 40500000, false},
		{"urn:ogc:def:crs:EPSG::4528", "EPSG:4528", 40, 120, 40500000, false},
		{"http://www.opengis.net/def/crs/EPSG/0/4549", "EPSG:4549", 40, 120, 500000, false},
		{"urn:ogc:def:crs:OGC:1.3:CRS84", "wgs84", 0, 0, 0, false},
		{"EPSG:4491", "EPSG:4491", 13, 75, 13500000, false},
		{"EPSG:4512", "EPSG:4512", 23, 135, 500000, false},
		{"EPSG:4513", "EPSG:4513", 25, 75, 25500000, false},
		{"EPSG:4554", "EPSG:4554", 45, 135, 500000, false},
		{"EPSG:3857", "", 0, 0, 0, true},
		{"mars", "", 0, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, err := parseSystem(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if s.name != tt.name {
				t.Errorf("name %q, want %q", s.name, tt.name)
			}
			if tt.zone == 0 {
				if s.gk != nil {
					t.Errorf("projected, want lon/lat")
				}
				return
			}
			if s.gk == nil || s.gk.zone != tt.zone || s.gk.lon0 != tt.lon0 || s.gk.falseE != tt.falseE {
				t.Errorf("got %+v, want zone %d lon0 %g false easting %g", s.gk, tt.zone, tt.lon0, tt.falseE)
			}
		})
	}
}

func TestParsePrj(t *testing.T) {
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
			s, err := parsePrj(tt.prj)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("got %s, want an error", s.name)
				}
				return
			}
			if err != nil || s.name != tt.want {
				t.Errorf("got %q, %v; want %s", s.name, err, tt.want)
			}
		})
	}
	// Every projected EPSG code, as PROJ names it in ESRI WKT, round trips.
	for code := 4491; code <= 4554; code++ {
		g, _ := gaussKrugerEPSG(code)
		var name string
		switch {
		case g.width == 3 && g.inEast:
			name = "CGCS2000_3_Degree_GK_Zone_" + itoa(g.zone)
		case g.width == 3:
			name = "CGCS2000_3_Degree_GK_CM_" + itoa(int(g.lon0)) + "E"
		case g.inEast:
			name = "CGCS2000_GK_Zone_" + itoa(g.zone)
		default:
			name = "CGCS2000_GK_CM_" + itoa(int(g.lon0)) + "E"
		}
		s, err := parsePrj(`PROJCS["` + name + `",GEOGCS["x"]]`)
		if err != nil || s.name != "EPSG:"+itoa(code) {
			t.Errorf("%s: got %q, %v; want EPSG:%d", name, s.name, err, code)
		}
	}
}

// TestProjected4528 imports bad/12 (three grids in EPSG:4528 metres, no crs
// member) over Jiangyin, declared three ways, and wants every vertex within
// 1 m of the original grid of the same code.
func TestProjected4528(t *testing.T) {
	bad := badFile(t, "12_projected_4528.geojson")
	base := jiangyin(t)
	text, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// Declared by a crs member (written after "features", which is legal).
	member := filepath.Join(dir, "member.geojson")
	withMember := strings.TrimSuffix(strings.TrimSpace(string(text)), "}") + `, "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4528"}}}`
	if err := os.WriteFile(member, []byte(withMember), 0o644); err != nil {
		t.Fatal(err)
	}
	// Declared by a .prj beside the file.
	prjFile := filepath.Join(dir, "prj.geojson")
	os.WriteFile(prjFile, text, 0o644)
	os.WriteFile(filepath.Join(dir, "prj.prj"), []byte(`PROJCS["CGCS2000_3_Degree_GK_Zone_40",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"]]`), 0o644)
	// Written [northing, easting], EPSG's axis order for these systems.
	var fc map[string]any
	if err := json.Unmarshal(text, &fc); err != nil {
		t.Fatal(err)
	}
	var swap func(v any)
	swap = func(v any) {
		a, ok := v.([]any)
		if !ok {
			return
		}
		if len(a) == 2 {
			if x, ok := a[0].(float64); ok {
				a[0], a[1] = a[1], x
				return
			}
		}
		for _, e := range a {
			swap(e)
		}
	}
	for _, f := range fc["features"].([]any) {
		swap(f.(map[string]any)["geometry"].(map[string]any)["coordinates"])
	}
	northing := filepath.Join(dir, "northing.geojson")
	nb, _ := json.Marshal(fc)
	os.WriteFile(northing, nb, 0o644)
	tests := []struct {
		name   string
		path   string
		crs    string
		noBase bool // convert alone: no snapping onto base vertices
	}{
		{"option, alone", bad, "EPSG:4528", true},
		{"northing first", northing, "EPSG:4528", false},
		{"option", bad, "EPSG:4528", false},
		{"member", member, "", false},
		{"prj", prjFile, "", false},
	}
	orig := base.Layer("grids")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := Source{Layer: "grids", Path: tt.path}
			b := base
			if tt.noBase {
				b = nil
			}
			ds, rep, err := Import(context.Background(), []Source{src}, b, Options{Merge: !tt.noBase, CRS: tt.crs})
			if err != nil {
				t.Fatalf("%v\n%s", err, rep.Text())
			}
			for _, code := range []string{"320281104205001", "320281104205003", "320281104205006"} {
				got, want := ds.Layer("grids").Grid(code), orig.Grid(code)
				if got == nil || want == nil {
					t.Fatalf("grid %s missing", code)
				}
				worst := 0.0
				for pi, p := range got.Geom {
					for ri, r := range p {
						if len(r) != len(want.Geom[pi][ri]) {
							t.Fatalf("%s: ring %d/%d has %d vertices, want %d", code, pi, ri, len(r), len(want.Geom[pi][ri]))
						}
						for i, v := range r {
							worst = math.Max(worst, distM(v, want.Geom[pi][ri][i]))
						}
					}
				}
				t.Logf("%s: worst vertex %.6f m from the original", code, worst)
				if worst > 1 {
					t.Errorf("%s: a vertex is %.3f m from the original, want < 1 m", code, worst)
				}
			}
		})
	}
}

// TestProjectedMessage wants an undeclared projected file refused with the
// EPSG code it looks like and the ways to declare it; and a declared zone
// that does not match the eastings refused too.
func TestProjectedMessage(t *testing.T) {
	bad := Source{Layer: "grids", Path: badFile(t, "12_projected_4528.geojson")}
	base := jiangyin(t)
	_, rep, err := Import(context.Background(), []Source{bad}, base, Options{Merge: true})
	if err == nil {
		t.Fatal("undeclared projected file accepted")
	}
	var msg string
	for _, p := range rep.Problems {
		if p.Kind == KindProjected {
			msg = p.Message
		}
	}
	for _, want := range []string{"EPSG:4528", "--crs EPSG:4528", `"crs"`, ".prj"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	_, rep, err = Import(context.Background(), []Source{bad}, base, Options{Merge: true, CRS: "EPSG:4529"})
	if err == nil || !rep.Has(KindProjected) {
		t.Fatalf("zone 41 accepted for zone-40 eastings: %v\n%s", err, rep.Text())
	}
}
