package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Validate checks every value and returns an *Error per bad one (joined),
// each naming its key and, for a Config made by Load, its source.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		e := &Error{Key: key, Msg: fmt.Sprintf(format, args...)}
		if c.origins != nil {
			e.Source, e.set = c.origins[key], true
		}
		errs = append(errs, e)
	}
	if strings.TrimSpace(c.Data) == "" {
		bad("data", "must name a directory")
	}
	if c.Store != "" {
		// the value is not quoted: it holds a password
		if u, err := url.Parse(c.Store); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			bad("store", "is not a PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DB); empty for the embedded store")
		}
	}
	checkAddr(bad, "addr", c.Addr, false)
	checkAddr(bad, "admin_addr", c.AdminAddr, true)
	if c.AdminAddr != "" && c.AdminAddr == c.Addr && !strings.HasSuffix(c.Addr, ":0") {
		bad("admin_addr", "must differ from addr (%s): the admin address never serves the API", c.Addr)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("public_url", "%q is not an http:// or https:// URL", c.PublicURL)
		}
	}
	if c.Basemap != "" && !(strings.Contains(c.Basemap, "{z}") && strings.Contains(c.Basemap, "{x}") && strings.Contains(c.Basemap, "{y}")) {
		bad("basemap", "%q lacks {z}, {x} or {y}", c.Basemap)
	}
	oneOf(bad, "log.format", c.Log.Format, "text", "json")
	oneOf(bad, "log.level", c.Log.Level, "debug", "info", "warn", "error")
	if (c.TLS.CertFile == "") != (c.TLS.KeyFile == "") {
		if c.TLS.CertFile == "" {
			bad("tls.cert_file", "is empty while tls.key_file is set: HTTPS needs both")
		} else {
			bad("tls.key_file", "is empty while tls.cert_file is set: HTTPS needs both")
		}
	}
	for _, o := range c.CORS.Origins {
		if !validOrigin(o) {
			bad("cors.origins", "%q is not \"*\" or an origin such as \"https://map.example.org\"", o)
		}
	}
	if len(c.CORS.Origins) > 1 && slices.Contains(c.CORS.Origins, "*") {
		bad("cors.origins", "\"*\" allows every origin and cannot be listed with others")
	}
	if c.Tiles.MaxTileKB <= 0 {
		bad("tiles.max_tile_kb", "must be more than 0")
	}
	c.Limits.validate(bad)
	c.Incidents.validate(bad)
	c.Staff.validate(bad)
	return errors.Join(errs...)
}

// validate checks the [limits] section.
func (l *LimitsConfig) validate(bad func(key, format string, args ...any)) {
	positive := func(key string, n int64) {
		if n <= 0 {
			bad(key, "must be more than 0")
		}
	}
	positive("limits.max_body_bytes", int64(l.MaxBodyBytes))
	positive("limits.max_decoded_bytes", int64(l.MaxDecodedBytes))
	positive("limits.max_batch_points", int64(l.MaxBatchPoints))
	positive("limits.max_upload_bytes", int64(l.MaxUploadBytes))
	if l.MaxHeaderBytes < 4<<10 {
		bad("limits.max_header_bytes", "must be at least 4KiB")
	}
	for _, d := range []struct {
		key  string
		v    time.Duration
		zero bool // 0 allowed, meaning none
	}{
		{"limits.read_header_timeout", l.ReadHeaderTimeout, false},
		{"limits.read_timeout", l.ReadTimeout, true},
		{"limits.write_timeout", l.WriteTimeout, true},
		{"limits.idle_timeout", l.IdleTimeout, false},
		{"limits.body_idle_timeout", l.BodyIdleTimeout, false},
		{"limits.shutdown_timeout", l.ShutdownTimeout, false},
	} {
		switch {
		case d.v < 0:
			bad(d.key, "must not be negative")
		case d.v == 0 && !d.zero:
			bad(d.key, "must be more than 0: a client could hold a connection for ever")
		}
	}
	positive("limits.heavy_concurrency", int64(l.HeavyConcurrency))
	if l.Rate < 0 {
		bad("limits.rate", "must not be negative (0 turns rate limits off)")
	}
	if l.Rate > 0 && l.Burst < 1 {
		bad("limits.burst", "must be at least 1 when limits.rate is set")
	}
	positive("limits.import_max_file_bytes", int64(l.ImportMaxFileBytes))
	positive("limits.import_max_features", int64(l.ImportMaxFeatures))
	positive("limits.import_max_vertices", int64(l.ImportMaxVertices))
}

// checkAddr refuses an address that is not HOST:PORT (empty allowed when
// optional).
func checkAddr(bad func(string, string, ...any), key, addr string, optional bool) {
	if addr == "" && optional {
		return
	}
	if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
		bad(key, "%q is not HOST:PORT (such as 127.0.0.1:8080 or :8080)", addr)
	}
}

// oneOf refuses a value not in allowed.
func oneOf(bad func(string, string, ...any), key, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	bad(key, "%q is not one of %s", v, strings.Join(allowed, ", "))
}

// validOrigin reports whether o is "*" or scheme://host[:port] with nothing
// after.
func validOrigin(o string) bool {
	if o == "*" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Path == "" && u.RawQuery == "" && u.User == nil
}
