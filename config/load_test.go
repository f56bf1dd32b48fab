package config_test

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/config"
)

// load runs Load over a file holding file (none when ""), the environment
// env and the command line args.
func load(t *testing.T, file string, env []string, args ...string) (*config.Config, error) {
	t.Helper()
	in := config.Input{Environ: env}
	if file != "" {
		in.File = filepath.Join(t.TempDir(), "gridmap.toml")
		if err := os.WriteFile(in.File, []byte(file), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	in.Flags = config.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return config.Load(in)
}

// TestPrecedence sets keys of every type in the layers and checks that a
// flag wins over the environment, which wins over the file, which wins over
// the default, and that each value remembers its source.
func TestPrecedence(t *testing.T) {
	for _, tc := range []struct {
		name       string
		key        string
		file       string
		env        []string
		args       []string
		want       any // read from the Config by get
		wantSource config.SourceKind
		get        func(*config.Config) any
	}{
		{"default", "addr", "", nil, nil, "127.0.0.1:8080", config.FromDefault, addr},
		{"file", "addr", "addr = \"0.0.0.0:1\"\n", nil, nil, "0.0.0.0:1", config.FromFile, addr},
		{"env over file", "addr", "addr = \"0.0.0.0:1\"\n", []string{"GRIDMAP_ADDR=0.0.0.0:2"}, nil, "0.0.0.0:2", config.FromEnv, addr},
		{"flag over env", "addr", "addr = \"0.0.0.0:1\"\n", []string{"GRIDMAP_ADDR=0.0.0.0:2"}, []string{"--addr", "0.0.0.0:3"}, "0.0.0.0:3", config.FromFlag, addr},
		{"env without file", "limits.rate", "", []string{"GRIDMAP_LIMITS_RATE=2.5"}, nil, 2.5, config.FromEnv, rate},
		{"file float", "limits.rate", "[limits]\nrate = 5\n", nil, nil, 5.0, config.FromFile, rate},
		{"flag float", "limits.rate", "[limits]\nrate = 5\n", []string{"GRIDMAP_LIMITS_RATE=6"}, []string{"--limits-rate=7"}, 7.0, config.FromFlag, rate},
		{"file duration", "limits.shutdown_timeout", "[limits]\nshutdown_timeout = \"1m30s\"\n", nil, nil, 90 * time.Second, config.FromFile, shutdown},
		{"env duration", "limits.shutdown_timeout", "[limits]\nshutdown_timeout = \"1m\"\n", []string{"GRIDMAP_LIMITS_SHUTDOWN_TIMEOUT=2s"}, nil, 2 * time.Second, config.FromEnv, shutdown},
		{"file size with unit", "limits.max_body_bytes", "[limits]\nmax_body_bytes = \"64MiB\"\n", nil, nil, config.Bytes(64 << 20), config.FromFile, maxBody},
		{"file size as integer", "limits.max_body_bytes", "[limits]\nmax_body_bytes = 1000\n", nil, nil, config.Bytes(1000), config.FromFile, maxBody},
		{"flag size", "limits.max_body_bytes", "", nil, []string{"--limits-max-body-bytes", "2GiB"}, config.Bytes(2 << 30), config.FromFlag, maxBody},
		{"file list", "cors.origins", "[cors]\norigins = [\"https://a.example\", \"http://b.example:8080\"]\n", nil, nil, []string{"https://a.example", "http://b.example:8080"}, config.FromFile, origins},
		{"env list", "cors.origins", "", []string{"GRIDMAP_CORS_ORIGINS=https://a.example, https://b.example"}, nil, []string{"https://a.example", "https://b.example"}, config.FromEnv, origins},
		{"bool flag alone", "debug.pprof", "", nil, []string{"--debug-pprof"}, true, config.FromFlag, pprof},
		{"bool env", "debug.pprof", "[debug]\npprof = true\n", []string{"GRIDMAP_DEBUG_PPROF=false"}, nil, false, config.FromEnv, pprof},
		{"legacy flag name", "tiles.cache_mb", "[tiles]\ncache_mb = 64\n", nil, []string{"--tile-cache-mb", "32"}, int64(32), config.FromFlag, cacheMB},
		{"secret from env", "admin_token", "admin_token = \"from-file\"\n", []string{"GRIDMAP_ADMIN_TOKEN=from-env"}, nil, config.Secret("from-env"), config.FromEnv, adminToken},
		{"empty env is unset", "addr", "addr = \"0.0.0.0:1\"\n", []string{"GRIDMAP_ADDR="}, nil, "0.0.0.0:1", config.FromFile, addr},
		{"dotted key in file", "limits.burst", "limits.burst = 7\n", nil, nil, 7, config.FromFile, burst},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := load(t, tc.file, tc.env, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			if got := tc.get(c); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s = %#v, want %#v", tc.key, got, tc.want)
			}
			if got := c.Origin(tc.key).Kind; got != tc.wantSource {
				t.Errorf("%s from %v (%s), want kind %v", tc.key, got, c.Origin(tc.key), tc.wantSource)
			}
		})
	}
}

func addr(c *config.Config) any       { return c.Addr }
func rate(c *config.Config) any       { return c.Limits.Rate }
func shutdown(c *config.Config) any   { return c.Limits.ShutdownTimeout }
func maxBody(c *config.Config) any    { return c.Limits.MaxBodyBytes }
func origins(c *config.Config) any    { return c.CORS.Origins }
func pprof(c *config.Config) any      { return c.Debug.Pprof }
func cacheMB(c *config.Config) any    { return c.Tiles.CacheMB }
func adminToken(c *config.Config) any { return c.AdminToken }
func burst(c *config.Config) any      { return c.Limits.Burst }

// TestKeysFileDefault: keys_file follows data unless set.
func TestKeysFileDefault(t *testing.T) {
	c, err := load(t, "", nil, "--data", "/srv/gm")
	if err != nil {
		t.Fatal(err)
	}
	if c.Auth.KeysFile != filepath.Join("/srv/gm", "keys.json") {
		t.Errorf("keys_file %q", c.Auth.KeysFile)
	}
	c, err = load(t, "[auth]\nkeys_file = \"k.json\"\n", nil, "--data", "/srv/gm")
	if err != nil || c.Auth.KeysFile != "k.json" {
		t.Errorf("keys_file %q, %v", c.Auth.KeysFile, err)
	}
}

// TestLineNumbers: the source of a file value is its line, also after
// comments, blank lines and multi-line values.
func TestLineNumbers(t *testing.T) {
	file := "# c\n\ndata = \"d\"\n[cors]\norigins = [\n  \"*\",\n]\n\n[limits] # x\n  rate = 1\n"
	c, err := load(t, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	for key, line := range map[string]int{"data": 3, "cors.origins": 5, "limits.rate": 10} {
		if got := c.Origin(key); got.Kind != config.FromFile || got.Line != line || !strings.HasSuffix(got.String(), "gridmap.toml line "+strconv.Itoa(line)) {
			t.Errorf("%s from %q (line %d), want line %d", key, got, got.Line, line)
		}
	}
}
