package server

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/lookup"
)

// queryValue returns the value of key in a raw query string without
// allocating when the value needs no unescaping; ok is false when key is
// absent.
func queryValue(raw, key string) (v string, ok bool) {
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		k, val, _ := strings.Cut(kv, "=")
		if k != key {
			continue
		}
		if strings.ContainsAny(val, "%+") {
			u, err := url.QueryUnescape(val)
			if err != nil {
				return val, true
			}
			return u, true
		}
		return val, true
	}
	return "", false
}

// floatParam parses a required float query parameter.
func floatParam(raw, key string) (float64, error) {
	v, ok := queryValue(raw, key)
	if !ok || v == "" {
		return 0, badParam(key, "query parameter %s is required", key)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return 0, badParam(key, "query parameter %s=%q is not a number", key, v)
	}
	return f, nil
}

// lookupOptions reads the optional lookup parameters of a raw query:
// crs (wgs84, cgcs2000, gcj02, bd09), layers (comma-separated names),
// nearest (metres) and boundary (metres). It returns nil when none is given,
// so the common lookup allocates nothing.
func lookupOptions(raw string, d *geo.Dataset) (*lookup.Options, error) {
	c, hasCRS := queryValue(raw, "crs")
	layers, hasLayers := queryValue(raw, "layers")
	near, hasNear := queryValue(raw, "nearest")
	bnd, hasBnd := queryValue(raw, "boundary")
	if !hasCRS && !hasLayers && !hasNear && !hasBnd {
		return nil, nil
	}
	o := &lookup.Options{}
	var err error
	if o.CRS, err = crs.Parse(c); err != nil {
		return nil, badParam("crs", "%v", err)
	}
	if hasLayers {
		o.Query.Layers = make([]bool, len(d.Layers))
		for _, name := range strings.Split(layers, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			found := false
			for i, l := range d.Layers {
				if l.Name == name {
					o.Query.Layers[i], found = true, true
				}
			}
			if !found {
				var names []string
				for _, l := range d.Layers {
					names = append(names, l.Name)
				}
				return nil, badParam("layers", "unknown layer %q (layers: %s)", name, strings.Join(names, ", "))
			}
		}
	}
	if hasNear {
		f, err := strconv.ParseFloat(near, 64)
		if err != nil || !(f >= 0 && f <= 100000) {
			return nil, badParam("nearest", "nearest=%q: want a distance in metres from 0 to 100000", near)
		}
		o.Query.NearestM = f
	}
	if hasBnd {
		f, err := strconv.ParseFloat(bnd, 64)
		if err != nil || !(f >= 0 && f <= 1000) {
			return nil, badParam("boundary", "boundary=%q: want a tolerance in metres from 0 to 1000", bnd)
		}
		if f == 0 {
			f = -1 // 0 turns the flag off
		}
		o.Query.BoundaryM = f
	}
	return o, nil
}
