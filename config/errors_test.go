package config_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/config"
)

var tempPath = regexp.MustCompile(`\(from \S*gridmap\.toml`)

// TestBadValues: each bad value is refused with a message naming its key,
// what is wrong, and the source it came from (file and line, variable, or
// flag).
func TestBadValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		env  []string
		args []string
		want string // the whole message, file path cut to its base
	}{
		{"env not a number", "", []string{"GRIDMAP_LIMITS_RATE=fast"}, nil,
			`limits.rate: "fast" is not a number (from GRIDMAP_LIMITS_RATE)`},
		{"file not a number", "# rates\n\n[limits]\nrate = \"fast\"\n", nil, nil,
			`limits.rate: "fast" is not a number (from gridmap.toml line 4)`},
		{"flag bad address", "", nil, []string{"--addr", "8080"},
			`addr: "8080" is not HOST:PORT (such as 127.0.0.1:8080 or :8080) (from flag --addr)`},
		{"file bad duration", "[limits]\nshutdown_timeout = \"soon\"\n", nil, nil,
			`limits.shutdown_timeout: "soon" is not a duration such as "30s" or "2m" (from gridmap.toml line 2)`},
		{"duration as integer", "[limits]\nread_timeout = 30\n", nil, nil,
			`limits.read_timeout: 30 is not a duration: write a string such as "30s" (from gridmap.toml line 2)`},
		{"bad size", "", []string{"GRIDMAP_LIMITS_MAX_BODY_BYTES=lots"}, nil,
			`limits.max_body_bytes: "lots" is not a size such as 1048576, "64MiB" or "1GiB" (from GRIDMAP_LIMITS_MAX_BODY_BYTES)`},
		{"wrong type in file", "[debug]\npprof = \"yes\"\n", nil, nil,
			`debug.pprof: "yes" is not true or false (from gridmap.toml line 2)`},
		{"bad bool env", "", []string{"GRIDMAP_AUTH_REQUIRE_KEYS=yes"}, nil,
			`auth.require_keys: "yes" is not true or false (from GRIDMAP_AUTH_REQUIRE_KEYS)`},
		{"list item not a string", "[cors]\norigins = [\"*\", 3]\n", nil, nil,
			`cors.origins: item 2, 3, is not a string (from gridmap.toml line 2)`},
		{"unknown key", "addr = \":1\"\n[limits]\nrat = 5\n", nil, nil,
			`limits.rat: unknown key (from gridmap.toml line 3)`},
		{"unknown top-level key", "adress = \":1\"\n", nil, nil,
			`adress: unknown key (from gridmap.toml line 1)`},
		{"unknown section", "[limit]\nrate = 5\n", nil, nil,
			`limit: unknown key (from gridmap.toml line 1)`},
		{"section as a value", "log = \"json\"\n", nil, nil,
			`log: is a section: write its keys under [log] (from gridmap.toml line 1)`},
		{"unknown env key of a section", "", []string{"GRIDMAP_LIMITS_RAET=1"}, nil,
			`limits.raet: unknown key (from GRIDMAP_LIMITS_RAET)`},
		{"log format", "[log]\nformat = \"xml\"\n", nil, nil,
			`log.format: "xml" is not one of text, json (from gridmap.toml line 2)`},
		{"negative rate", "", nil, []string{"--limits-rate", "-1"},
			`limits.rate: must not be negative (0 turns rate limits off) (from flag --limits-rate)`},
		{"zero header timeout", "[limits]\nread_header_timeout = \"0s\"\n", nil, nil,
			`limits.read_header_timeout: must be more than 0: a client could hold a connection for ever (from gridmap.toml line 2)`},
		{"tls half set", "[tls]\ncert_file = \"c.pem\"\n", nil, nil,
			`tls.key_file: is empty while tls.cert_file is set: HTTPS needs both (from default)`},
		{"cors origin with a path", "", []string{"GRIDMAP_CORS_ORIGINS=https://a.example/page"}, nil,
			`cors.origins: "https://a.example/page" is not "*" or an origin such as "https://map.example.org" (from GRIDMAP_CORS_ORIGINS)`},
		{"cors any origin and others", "[cors]\norigins = [\"https://a.example\", \"*\"]\n", nil, nil,
			`cors.origins: "*" allows every origin and cannot be listed with others (from gridmap.toml line 2)`},
		{"admin on the main address", "addr = \":9\"\n", []string{"GRIDMAP_ADMIN_ADDR=:9"}, nil,
			`admin_addr: must differ from addr (:9): the admin address never serves the API (from GRIDMAP_ADMIN_ADDR)`},
		{"public url", "", nil, []string{"--public-url", "example.org"},
			`public_url: "example.org" is not an http:// or https:// URL (from flag --public-url)`},
		{"float for a whole number", "[tiles]\nmax_tile_kb = 1.5\n", nil, nil,
			`tiles.max_tile_kb: 1.5 is not a whole number (from gridmap.toml line 2)`},
		{"zero tile size", "", []string{"GRIDMAP_TILES_MAX_TILE_KB=0"}, nil,
			`tiles.max_tile_kb: must be more than 0 (from GRIDMAP_TILES_MAX_TILE_KB)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, tc.file, tc.env, tc.args...)
			if err == nil {
				t.Fatal("accepted")
			}
			// the file is in a temporary directory: keep its base name
			got := tempPath.ReplaceAllString(err.Error(), "(from gridmap.toml")
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if errs := config.Errors(err); len(errs) != 1 {
				t.Errorf("%d errors, want 1: %v", len(errs), err)
			}
		})
	}
}

// TestAllErrorsReported: every bad value of a start is reported at once.
func TestAllErrorsReported(t *testing.T) {
	_, err := load(t, "[limits]\nrate = \"fast\"\nburst = \"x\"\n", []string{"GRIDMAP_LOG_LEVEL=loud"}, "--addr", "nope")
	var keys []string
	for _, e := range config.Errors(err) {
		keys = append(keys, e.Key)
	}
	if strings.Join(keys, " ") != "limits.rate limits.burst addr log.level" {
		t.Errorf("errors of keys %v: %v", keys, err)
	}
}

// TestSyntaxError: a file that is not TOML is refused naming file and line.
func TestSyntaxError(t *testing.T) {
	_, err := load(t, "addr = \":1\"\n[limits\nrate = 1\n", nil)
	if err == nil || !strings.Contains(err.Error(), "gridmap.toml line 2") {
		t.Errorf("got %v", err)
	}
	if _, err := config.Load(config.Input{File: "does-not-exist.toml"}); err == nil || !strings.Contains(err.Error(), "does-not-exist.toml") {
		t.Errorf("missing file: %v", err)
	}
}
