package server

import (
	"net/url"
	"strconv"
	"strings"
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
