package storetest

import (
	"fmt"
	"math/rand"
	"time"

	"github.com/gridmap/gridmap/incident"
)

// base is the first ReportedAt of the fixtures.
var base = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// chains are the chains of the fixtures: two towns, three villages, five
// grids (finest first), as a lookup gives them.
var chains = [][]incident.Link{
	chain("G01", "V1", "T1"), chain("G02", "V1", "T1"), chain("G03", "V2", "T1"),
	chain("G04", "V3", "T2"), chain("G05", "V3", "T2"),
}

// chain is a grid → village → town → county chain.
func chain(grid, village, town string) []incident.Link {
	return []incident.Link{
		{Layer: "grids", Code: grid, Name: "网格" + grid, Level: "grid"},
		{Layer: "villages", Code: village, Name: "村" + village, Level: "village"},
		{Layer: "towns", Code: town, Name: "镇" + town, Level: "town"},
		{Layer: "county", Code: "320281", Name: "江阴市", Level: "county"},
	}
}

// fixture is the i-th incident of a seeded set: every field varies, some
// ReportedAt tie, points spread over a box of Jiangyin (WGS84).
func fixture(rng *rand.Rand, i int) incident.Incident {
	statuses := incident.Statuses
	cats := []string{"市容环境", "安全隐患", "矛盾纠纷", "公共设施"}
	srcs := []string{"12345", "110", "grid_worker", "wechat", "sensor"}
	at := base.Add(time.Duration(i/3) * 7 * time.Minute) // three at a time tie
	inc := incident.Incident{
		Status:      statuses[rng.Intn(len(statuses))],
		Lon:         120.1 + rng.Float64()*0.4,
		Lat:         31.7 + rng.Float64()*0.2,
		CRS:         "wgs84",
		Category:    cats[rng.Intn(len(cats))],
		Source:      srcs[rng.Intn(len(srcs))],
		ExternalRef: fmt.Sprintf("ext-%d", i),
		Description: fmt.Sprintf("incident %d", i),
		Reporter:    incident.Reporter{Name: "张三", Phone: "13800138000"},
		OccurredAt:  at.Add(-time.Hour),
		ReportedAt:  at,
		Version:     "v1",
		Chain:       chains[rng.Intn(len(chains))],
		Deadline:    at.Add(72 * time.Hour),
		Overdue:     rng.Intn(4) == 0,
		UpdatedAt:   at,
	}
	inc.InputLon, inc.InputLat = inc.Lon, inc.Lat
	if rng.Intn(2) == 0 {
		inc.Assignee, inc.AssigneeGrid = fmt.Sprintf("S%03d", rng.Intn(3)), inc.Chain[0].Code
	}
	if i%5 == 0 {
		inc.ExternalRef = "" // some have none
	}
	return inc
}

// seeded returns a random source of seed and logs the seed.
func seeded(t interface{ Logf(string, ...any) }) *rand.Rand {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	return rand.New(rand.NewSource(seed))
}
