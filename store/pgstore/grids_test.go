package pgstore_test

import (
	"context"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/gridmap/gridmap/sample"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/store/storetest"
	"github.com/jackc/pgx/v5"
)

// jiangyin imports the bundled sample as gridmap import does.
func jiangyin(t *testing.T) *geo.Dataset {
	t.Helper()
	paths, err := sample.Extract(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var srcs []importer.Source
	for _, p := range paths {
		srcs = append(srcs, importer.ParseSource(p))
	}
	d, _, err := importer.Import(context.Background(), srcs, nil, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestGridsSQL publishes Jiangyin and asks gridmap.active_grids, with
// PostGIS's ST_Covers, for the grids of random points over the county's
// bounds: every answer is the chain gridmap's own index gives. The
// version loads back as published.
func TestGridsSQL(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDB(t)
	s := open(t, dsn)
	d := jiangyin(t)
	m, err := s.Publish(ctx, d, store.Meta{Who: "test"}, true)
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := s.Load(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	storetest.SameDataset(t, "Load(Jiangyin)", back, d)
	x, err := index.NewIndex(d)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	seed := uint64(19)
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	b := d.Layers[0].Grids[0].Geom.Bound()
	inside := 0
	for i := 0; i < 300; i++ {
		lon := b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0])
		lat := b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])
		var want []string
		for _, h := range x.AppendChains(nil, lon, lat) {
			if !h.Nearest {
				want = append(want, x.LayerName(h)+"/"+x.Grid(h).Code)
			}
		}
		rows, err := conn.Query(ctx, `SELECT layer || '/' || code FROM gridmap.active_grids
			WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`, lon, lat)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("(%.6f, %.6f): PostGIS says %v, gridmap %v", lon, lat, got, want)
		}
		if len(want) > 0 {
			inside++
		}
	}
	if inside < 100 {
		t.Errorf("only %d of 300 points fell in the county", inside)
	}
}
