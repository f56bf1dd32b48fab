package server_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/staff"
	"github.com/gridmap/gridmap/stats"
	"github.com/gridmap/gridmap/store"
)

// jinjiangCat is the catalog of Jinjiang (buildings partial), built once.
var jinjiangCat onceCatalog

// jinjiangCatalog returns a catalog serving the five Jinjiang layers,
// imported with the buildings declared partial, from a store of its own;
// it skips t without the shared data.
func jinjiangCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	dir := gridtest.NeedShared(t, "jinjiang")
	return jinjiangCat.get(t, func(ctx context.Context) (*store.Dir, error) {
		var srcs []importer.Source
		for _, l := range []string{"county", "towns", "villages", "grids", "buildings"} {
			srcs = append(srcs, importer.ParseSource(l+"="+filepath.Join(dir, l+".geojson")))
		}
		d, _, err := importer.Import(ctx, srcs, nil, importer.Options{Partial: []string{"buildings"}})
		if err != nil {
			return nil, err
		}
		st, err := store.OpenDir(filepath.Join(binaryDir("jinjiang"), "store"))
		if err != nil {
			return nil, err
		}
		_, err = st.Publish(ctx, d, store.Meta{Who: "test"}, true)
		return st, err
	})
}

// staffChain is a lookup answer with=staff.
type staffChain struct {
	Chain []struct {
		Layer      string         `json:"layer"`
		Code       string         `json:"code"`
		Properties map[string]any `json:"properties"`
		Staff      []staff.Person `json:"staff"`
	} `json:"chain"`
}

// jinjiangPoints returns a point between the buildings of a grid and a
// point inside one of that grid's buildings (lon, lat WGS84 strings, as
// points.csv gives them), and the grid's and the building's codes.
func jinjiangPoints(t *testing.T, env *incidentEnv) (gap, in [2]string, grid, building string) {
	t.Helper()
	f, err := os.Open(gridtest.NeedShared(t, "jinjiang", "points.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll() // id,lon,lat,kind,owners
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range rows[1:] {
		if g[3] != "gap" {
			continue
		}
		var a staffChain
		env.getJSON(t, "", "/api/v1/lookup?lon="+g[1]+"&lat="+g[2], &a)
		if len(a.Chain) == 0 || a.Chain[0].Layer != "grids" {
			t.Fatalf("gap point %s: chain %+v, want it to start at a grid", g[0], a.Chain)
		}
		for _, r := range rows[1:] {
			if r[3] == "inside" && strings.HasPrefix(r[4], a.Chain[0].Code) {
				return [2]string{g[1], g[2]}, [2]string{r[1], r[2]}, a.Chain[0].Code, r[4]
			}
		}
	}
	t.Fatal("no gap point in a grid with an inside point")
	return
}

// TestJinjiangFigures serves Jinjiang with its buildings partial and the
// real incident loop: a roster with building heads (a building code the
// version lacks refused), incidents posted inside a building and between
// the buildings of its grid, dispatched to the building's head (楼栋长
// responsible) or the grid's worker; the figures by buildings, by grids
// and of the grid with its children count each incident once, with the
// grids' households and those in their buildings; a lookup with=staff
// inside the building names its head, masked for anonymous callers; and
// no name or phone reaches the log.
func TestJinjiangFigures(t *testing.T) {
	roles := staff.Roles{Names: []string{"网格长", "专职网格员", "兼职网格员", "楼栋长", "单元长"}, Responsible: []string{"楼栋长", "专职网格员", "网格长"}}
	env := startIncidentEnv(t, jinjiangCatalog(t), roles)
	gap, in, grid, building := jinjiangPoints(t, env)
	t.Logf("grid %s, building %s", grid, building)

	roster := "网格编码,工号,姓名,角色,电话\n" + grid + ",S1,王网格,专职网格员,13800001111\n" + grid + ",S2,李长,网格长,13900002222\n" +
		building + ",S3,张楼长,楼栋长,13700003333\n" + building + ",S4,赵单元,单元长,13700004444\n"
	bad := roster + grid + "999,S5,钱楼长,楼栋长,13700005555\n"
	if status, _, b := env.call(t, "importer", "POST", "/api/v1/staff", bad, "Content-Type: text/csv"); status != http.StatusBadRequest ||
		!strings.Contains(string(b), `"line":6`) || strings.Contains(string(b), "13700005555") {
		t.Fatalf("roster naming building %s999: %d %s, want 400 naming line 6 without the phone", grid, status, b)
	}
	if status, _, b := env.call(t, "importer", "POST", "/api/v1/staff", roster, "Content-Type: text/csv"); status != http.StatusCreated {
		t.Fatalf("roster import: %d %s", status, b)
	}

	post := func(p [2]string, n int, wantFirst string) {
		for i := range n {
			inc := env.report(t, "reporter", fmt.Sprintf(`{"lon":%s,"lat":%s,"category":"市容环境","source":"12345",
				"reporter":{"name":"周报告","phone":"13612345678"}}`, p[0], p[1]), http.StatusCreated)
			if inc.Chain[0].Code != wantFirst || len(inc.Chain) != map[bool]int{true: 5, false: 4}[wantFirst == building] {
				t.Fatalf("incident at %v: chain %+v, want it to start at %s", p, inc.Chain, wantFirst)
			}
			if i > 0 {
				continue
			}
			env.act(t, "dispatcher", inc.ID, `{"action":"assess"}`)
			status, b := env.act(t, "dispatcher", inc.ID, `{"action":"dispatch"}`)
			want := map[bool]string{true: `"assignee":"S3"`, false: `"assignee":"S1"`}[wantFirst == building]
			if status != http.StatusOK || !strings.Contains(string(b), want) {
				t.Fatalf("dispatch of the incident at %v: %d %s, want %s", p, status, b, want)
			}
		}
	}
	post(in, 3, building)
	post(gap, 2, grid)

	var res stats.Result
	stat := func(q string) {
		res = stats.Result{} // a field absent from the answer must read nil
		env.getJSON(t, "", "/api/v1/stats?"+q, &res)
	}
	stat("layer=buildings")
	if len(res.Grids) != 1 || res.Grids[0].Code != building || res.Grids[0].Total != 3 || res.Grids[0].Households == nil ||
		res.Between == nil || res.Between.Total != 2 || res.Total.Total != 5 {
		t.Fatalf("stats by buildings: %+v between %+v, want %s with 3 and households, 2 between", res.Grids, res.Between, building)
	}
	stat("layer=grids")
	if len(res.Grids) != 1 || res.Grids[0].Code != grid || res.Grids[0].Total != 5 || res.Between != nil {
		t.Fatalf("stats by grids: %+v between %+v, want %s with 5", res.Grids, res.Between, grid)
	}
	g := res.Grids[0]
	if g.Households == nil || g.HouseholdsIn == nil || g.HouseholdsIn.Layer != "buildings" || g.HouseholdsIn.Grids == 0 || g.HouseholdsIn.Households == 0 {
		t.Fatalf("grid %s: households %v in children %+v, want its own figure and its buildings'", grid, g.Households, g.HouseholdsIn)
	}
	stat("grid=" + grid)
	if res.Grid == nil || res.Grid.Total != 5 || *res.Grid.Households != *g.Households || len(res.Children) != 1 ||
		res.Children[0].Code != building || res.Children[0].Total != 3 || res.Between == nil || res.Between.Total != 2 {
		t.Fatalf("stats of grid %s: %+v children %+v between %+v", grid, res.Grid, res.Children, res.Between)
	}
	stat("grid=" + building)
	if res.Grid.Total != 3 || res.Grid.Households == nil || res.Between != nil {
		t.Fatalf("stats of building %s: %+v between %+v", building, res.Grid, res.Between)
	}

	var a staffChain
	env.getJSON(t, "", "/api/v1/lookup?lon="+in[0]+"&lat="+in[1]+"&with=staff", &a)
	if len(a.Chain) != 5 || a.Chain[0].Code != building || len(a.Chain[0].Staff) != 2 || a.Chain[0].Staff[0].Role != "楼栋长" ||
		a.Chain[0].Staff[0].Phone != "137****3333" || a.Chain[0].Staff[0].Name != "张**" || len(a.Chain[1].Staff) != 2 {
		t.Fatalf("anonymous lookup with=staff in building %s: %+v", building, a.Chain)
	}
	env.getJSON(t, "supervisor", "/api/v1/lookup?lon="+in[0]+"&lat="+in[1]+"&with=staff", &a)
	if a.Chain[0].Staff[0].Phone != "13700003333" || a.Chain[0].Staff[0].Name != "张楼长" {
		t.Fatalf("a supervisor's lookup with=staff: %+v", a.Chain[0].Staff)
	}
	env.getJSON(t, "", "/api/v1/lookup?lon="+gap[0]+"&lat="+gap[1]+"&with=staff", &a)
	if a.Chain[0].Code != grid || !slices.ContainsFunc(a.Chain[0].Staff, func(p staff.Person) bool { return p.ID == "S1" }) {
		t.Fatalf("lookup with=staff between buildings: %+v", a.Chain)
	}
	for _, secret := range []string{"13700003333", "张楼长", "13612345678", "周报告"} {
		if strings.Contains(env.log.String(), secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}
