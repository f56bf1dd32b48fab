package synth

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/gridmap/gridmap/geo"
)

// Post is a role filled in every grid of a layer: up to Count people, each
// there with probability P (a post left empty makes dispatch escalate to
// the grid above).
type Post struct {
	Role  string
	Count int
	P     float64
}

// StaffPlan lists the posts of the grids of each layer by the layer's
// distance from the finest: StaffPlan[0] for the finest layer, [1] for
// its parent layer and so on; layers beyond the plan get nobody.
type StaffPlan [][]Post

// Jiangyin113 is Jiangyin's "1+1+3" in the role names of
// staff.DefaultRoles: each micro grid a party member (as part-time grid
// worker, the responsible one; 8 % of micro grids lack one), a liaison and
// three volunteers; each grid a full-time grid worker (4 % lack one) and
// often a grid leader; each village or community a grid leader (its
// secretary) and a guide; each town a supervisor.
var Jiangyin113 = StaffPlan{
	{{"兼职网格员", 1, 0.92}, {"网格联络员", 1, 0.9}, {"志愿者", 3, 0.8}},
	{{"专职网格员", 1, 0.96}, {"网格长", 1, 0.5}},
	{{"网格长", 1, 0.95}, {"网格指导员", 1, 0.8}},
	{{"网格督导员", 1, 1}},
}

// Jinjiang is a roster of Chengdu Jinjiang's buildings and grids, in the
// role names of staff.DefaultRoles: a building head (楼栋长) in half of
// the buildings (the finest, partial layer), a grid leader (90 %) and a
// full-time grid worker (96 %) in each grid, a guide in each community
// and a supervisor in each street. Grids without buildings are staffed
// like the others.
var Jinjiang = StaffPlan{
	{{"楼栋长", 1, 0.5}},
	{{"网格长", 1, 0.9}, {"专职网格员", 1, 0.96}},
	{{"网格指导员", 1, 0.8}},
	{{"网格督导员", 1, 1}},
}

// StaffPlans are the plans by the names `gridmap synth staff --plan`
// takes.
var StaffPlans = map[string]StaffPlan{"jiangyin": Jiangyin113, "jinjiang": Jinjiang}

// StaffHeader is the header of the staff CSV that WriteStaffCSV writes.
var StaffHeader = []string{"grid", "id", "name", "role", "phone"}

// WriteStaffCSV writes a synthetic roster of the grids of d after plan to
// w (synthetic names and phones drawn from seed; ids S000001, …) and
// returns how many people it wrote.
func WriteStaffCSV(ctx context.Context, w io.Writer, d *geo.Dataset, plan StaffPlan, seed uint64) (int, error) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed57aff))
	cw := csv.NewWriter(w)
	if err := cw.Write(StaffHeader); err != nil {
		return 0, fmt.Errorf("write staff header: %w", err)
	}
	finest := 0
	for _, l := range d.Leaves() {
		finest = max(finest, d.Depth(l.Name))
	}
	n := 0
	for i := len(d.Layers) - 1; i >= 0; i-- {
		l := d.Layers[i]
		dist := finest - d.Depth(l.Name)
		if dist < 0 || dist >= len(plan) {
			continue
		}
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		for _, g := range l.Grids {
			for _, p := range plan[dist] {
				for range p.Count {
					if rng.Float64() >= p.P {
						continue
					}
					n++
					rec := []string{g.Code, fmt.Sprintf("S%06d", n), PersonName(rng), p.Role, Phone(rng)}
					if err := cw.Write(rec); err != nil {
						return n, fmt.Errorf("write staff row %d: %w", n+1, err)
					}
				}
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("write staff: %w", err)
	}
	return n, nil
}
