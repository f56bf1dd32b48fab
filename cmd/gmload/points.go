package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// point is (lon, lat) degrees.
type point [2]float64

// rng is a seeded xorshift generator: the same seed gives the same points.
type rng uint64

func (r *rng) float() float64 {
	x := uint64(*r)
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	*r = rng(x)
	return float64(x>>11) / (1 << 53)
}

func newRng(seed uint64) *rng {
	if seed == 0 {
		seed = 1
	}
	r := rng(seed)
	return &r
}

// randomPoint returns a point drawn uniformly in the bbox.
func (r *rng) point(b [4]float64) point {
	return point{b[0] + r.float()*(b[2]-b[0]), b[1] + r.float()*(b[3]-b[1])}
}

// loadPoints returns the points of the run: from c.Points, or random.
func loadPoints(c *Config) ([]point, error) {
	if c.Points == "" {
		r := newRng(c.Seed)
		pts := make([]point, c.NPoints)
		for i := range pts {
			pts[i] = r.point(c.BBox)
		}
		return pts, nil
	}
	f, err := os.Open(c.Points)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var pts []point
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Split(sc.Text(), ",")
		if len(fields) < 3 {
			return nil, fmt.Errorf("%s:%d: want id,lon,lat", c.Points, line)
		}
		lon, err1 := strconv.ParseFloat(fields[1], 64)
		lat, err2 := strconv.ParseFloat(fields[2], 64)
		if err1 != nil || err2 != nil {
			if line == 1 {
				continue // header
			}
			return nil, fmt.Errorf("%s:%d: lon, lat must be numbers", c.Points, line)
		}
		pts = append(pts, point{lon, lat})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(pts) == 0 {
		return nil, fmt.Errorf("%s: no points", c.Points)
	}
	return pts, nil
}
