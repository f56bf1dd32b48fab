package synth

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// SeedClosureRate is the closure rate (办结率) of Jiangyin's big-data centre
// over a year of events (98.91 %, issue 17): the share of generated
// incidents that are closed when IncidentOptions.Closure is zero.
const SeedClosureRate = 0.9891

// ErrIncidents marks options or a data set the generator cannot use.
var ErrIncidents = errors.New("synth: incidents")

// IncidentOptions configure an incident generator.
type IncidentOptions struct {
	// Seed makes the sequence reproducible: the same seed, data set and
	// options give the same incidents.
	Seed uint64
	// N is the number of incidents; From and To bound their report time
	// (From <= reported_at < To); the zero To is Now, the zero From a
	// year before To.
	N        int
	From, To time.Time
	// Now is the present the statuses are seen from: an incident whose
	// handling would end after Now is still open. Zero: To.
	Now time.Time
	// Closure is the share of incidents closed over the span; zero:
	// SeedClosureRate. Spans too short for it give fewer (recent
	// incidents are still open).
	Closure float64
	// Reporters is the share of hotline, 110 and WeChat reports that
	// carry a reporter's name and phone; negative: none; zero: 0.8.
	Reporters float64
	// RefPrefix starts every external_ref (a live feed's run, so that a
	// second run is not taken for retries of the first).
	RefPrefix string
}

// Incident is one synthetic incident, as a row of the historical
// incidents CSV (WriteIncidentsCSV). Lon and Lat are WGS84 degrees rounded
// to 1e-7, inside Grid (the finest grid, by geo's boundary rule).
type Incident struct {
	Source, ExternalRef, Category string
	Lon, Lat                      float64
	Grid                          string
	OccurredAt, ReportedAt        time.Time
	// Status is one of incident.Statuses; HandledAt and ClosedAt are zero
	// when it did not get there; Rating is 1–5 after feedback, else 0.
	Status              string
	HandledAt, ClosedAt time.Time
	Rating              int
	Description         string
	ReporterName        string
	ReporterPhone       string
}

// Incidents generates synthetic incidents over the finest grids of a data
// set: Next returns them in order of report time. It is not safe for
// concurrent use.
type Incidents struct {
	opts  IncidentOptions
	rng   *rand.Rand
	units []unit
	cumW  []float64 // cumulative unit weights
	clock *rhythm
	// pStuck is the chance that an incident whose handling ended before
	// Now is still open (calibrated so that Closure holds).
	pStuck float64
	// u is the last sorted uniform drawn and left how many remain.
	u    float64
	left int
	seq  map[string]int // external_ref counters per source
}

// NewIncidents returns a generator of o.N incidents over the finest layers
// of d (their grids weighted by the "households" property when they have
// one, else equally: micro grids are drawn to hold similar numbers of
// households, so small grids are dense town centres and get as many
// events as large rural ones). Where the finest layer does not tile its
// parent (Jinjiang's buildings), the parts of the grids between the
// buildings, and grids without any, get incidents too (units.go): most
// incidents fall in buildings, the rest in the streets and yards between,
// each then located to the grid around it.
func NewIncidents(d *geo.Dataset, o IncidentOptions) (*Incidents, error) {
	if o.N < 0 {
		return nil, fmt.Errorf("%w: n %d < 0", ErrIncidents, o.N)
	}
	if o.To.IsZero() {
		o.To = o.Now
		if o.To.IsZero() {
			o.To = time.Now()
		}
	}
	if o.From.IsZero() {
		o.From = o.To.AddDate(-1, 0, 0)
	}
	if o.Now.IsZero() {
		o.Now = o.To
	}
	if !o.From.Before(o.To) {
		return nil, fmt.Errorf("%w: from %s is not before to %s", ErrIncidents, o.From.Format(time.RFC3339), o.To.Format(time.RFC3339))
	}
	if o.Closure == 0 {
		o.Closure = SeedClosureRate
	}
	if o.Closure < 0 || o.Closure > 1 {
		return nil, fmt.Errorf("%w: closure %v outside 0..1", ErrIncidents, o.Closure)
	}
	if o.Reporters == 0 {
		o.Reporters = 0.8
	}
	g := &Incidents{opts: o, rng: rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15)),
		clock: newRhythm(o.From, o.To), left: o.N, seq: map[string]int{}}
	us, ws := units(d)
	g.units = us
	for _, w := range ws {
		g.cumW = append(g.cumW, cumLast(g.cumW)+w)
	}
	if len(g.units) == 0 {
		return nil, fmt.Errorf("%w: the data set has no grids", ErrIncidents)
	}
	g.pStuck = g.calibrate()
	return g, nil
}

// Left returns how many incidents Next has still to give.
func (g *Incidents) Left() int { return g.left }

// Next returns the next incident, in order of report time, and false
// after the N-th.
func (g *Incidents) Next() (Incident, bool) {
	if g.left <= 0 {
		return Incident{}, false
	}
	// sorted uniforms, ascending, one at a time (the order statistics of
	// N uniforms): u' = 1 − (1 − u)·V^(1/left)
	g.u = 1 - (1-g.u)*math.Pow(g.rng.Float64(), 1/float64(g.left))
	g.left--
	reported := g.clock.at(g.u)
	gi := g.pickGrid()
	lon, lat := g.pointIn(gi)
	src := pick(g.rng, sources)
	cat := pickCategory(g.rng, src)
	inc := Incident{Source: src.name, Category: cat.name, Lon: lon, Lat: lat, Grid: g.units[gi].grid.Code,
		ReportedAt: reported, OccurredAt: reported.Add(-time.Duration(g.rng.ExpFloat64() * float64(src.delay)))}
	inc.ExternalRef = g.externalRef(src.name, reported)
	inc.Description = cat.descriptions[g.rng.IntN(len(cat.descriptions))]
	if src.reporter && g.opts.Reporters > 0 && g.rng.Float64() < g.opts.Reporters {
		inc.ReporterName, inc.ReporterPhone = PersonName(g.rng), Phone(g.rng)
	}
	g.settle(&inc, cat)
	return inc, true
}

// settle gives inc its status, handled and closed times and rating, as
// seen from Now.
func (g *Incidents) settle(inc *Incident, cat *category) {
	if g.rng.Float64() < pRejected {
		inc.Status = "rejected"
		return
	}
	handle, feedback := g.durations(cat)
	handled := inc.ReportedAt.Add(handle)
	closed := handled.Add(feedback)
	stuck := g.rng.Float64() < g.pStuck
	now := g.opts.Now
	switch {
	case !closed.After(now) && !stuck:
		inc.Status, inc.HandledAt, inc.ClosedAt, inc.Rating = "closed", handled, closed, g.rating()
	case !handled.After(now) && !stuck:
		inc.Status, inc.HandledAt = "handled", handled
		if now.Sub(handled) > feedback/2 {
			inc.Status, inc.Rating = "feedback", g.rating()
		}
	default:
		// still in hand: how far it got by the share of its handling
		// time that has passed (a stuck one is overdue for good)
		inc.Status = openStatus(now.Sub(inc.ReportedAt), handle, stuck, g.rng)
	}
}

// openStatus is the status of an incident reported elapsed ago that takes
// handle to handle.
func openStatus(elapsed, handle time.Duration, stuck bool, rng *rand.Rand) string {
	f := float64(elapsed) / float64(handle)
	switch {
	case stuck && rng.IntN(5) == 0:
		return "returned"
	case stuck:
		return []string{"dispatched", "handling", "handling"}[rng.IntN(3)]
	case f < 0.05:
		return "reported"
	case f < 0.15:
		return "assessed"
	case f < 0.3:
		return "dispatched"
	}
	return "handling"
}

// pRejected is the share of reports refused (duplicates, out of scope).
const pRejected = 0.002

// durations draws the time from report to handled (log-normal around the
// category's median) and from handled to closed (the reporter's feedback:
// log-normal, median 20 h).
func (g *Incidents) durations(cat *category) (handle, feedback time.Duration) {
	h := float64(cat.median) * math.Exp(cat.sigma*g.rng.NormFloat64())
	f := float64(20*time.Hour) * math.Exp(0.8*g.rng.NormFloat64())
	return time.Duration(max(h, float64(10*time.Minute))), time.Duration(max(f, float64(5*time.Minute)))
}

// rating draws a satisfaction rating, skewed high (mean about 4.4).
func (g *Incidents) rating() int {
	x := g.rng.Float64()
	switch {
	case x < 0.62:
		return 5
	case x < 0.87:
		return 4
	case x < 0.95:
		return 3
	case x < 0.98:
		return 2
	}
	return 1
}

// calibrate returns the chance that a finished incident is nonetheless
// left open, so that the expected share closed is opts.Closure: it draws
// report times and durations from a generator of its own (the main
// sequence is not disturbed) to measure how many would be closed by Now.
func (g *Incidents) calibrate() float64 {
	const n = 20000
	rng := rand.New(rand.NewPCG(g.opts.Seed, 1))
	h := &Incidents{opts: g.opts, rng: rng}
	done := 0
	for range n {
		reported := g.clock.at(rng.Float64())
		handle, feedback := h.durations(pickCategory(rng, pick(rng, sources)))
		if !reported.Add(handle + feedback).After(g.opts.Now) {
			done++
		}
	}
	q := (1 - pRejected) * float64(done) / n
	if q <= g.opts.Closure {
		return 0
	}
	return 1 - g.opts.Closure/q
}

// pickGrid draws a grid by weight.
func (g *Incidents) pickGrid() int {
	x := g.rng.Float64() * cumLast(g.cumW)
	lo, hi := 0, len(g.cumW)-1
	for lo < hi {
		m := (lo + hi) / 2
		if g.cumW[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// pointIn draws a point uniformly inside unit i by rejection in its
// bounding box, rounded to 1e-7 degrees before the test so that the
// written point is the one tested.
func (g *Incidents) pointIn(i int) (lon, lat float64) {
	u := &g.units[i]
	b := u.bound
	for range 10000 {
		lon = round7(b.Min[0] + g.rng.Float64()*(b.Max[0]-b.Min[0]))
		lat = round7(b.Min[1] + g.rng.Float64()*(b.Max[1]-b.Min[1]))
		if u.inUnit(orb.Point{lon, lat}) {
			return lon, lat
		}
	}
	// a sliver: its first vertex is covered by its closed polygon
	p := u.grid.Geom[0][0][0]
	return p[0], p[1]
}

// externalRef numbers the incidents of a source by year, as the source
// systems do: 12345-2026-000001.
func (g *Incidents) externalRef(source string, at time.Time) string {
	g.seq[source]++
	return fmt.Sprintf("%s%s-%d-%06d", g.opts.RefPrefix, source, at.Year(), g.seq[source])
}

func round7(x float64) float64 { return math.Round(x*1e7) / 1e7 }

func cumLast(c []float64) float64 {
	if len(c) == 0 {
		return 0
	}
	return c[len(c)-1]
}
