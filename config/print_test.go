package config_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/config"
)

const secretToken = "gm_s3cr3t-token-value"

// values writes c's effective values as WriteTOML does, without the
// comments naming their sources.
func values(t *testing.T, c *config.Config) string {
	t.Helper()
	var b bytes.Buffer
	if err := c.WriteTOML(&b); err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(`(?m)  # .*$|^#.*\n`).ReplaceAllString(b.String(), "")
}

// TestWriteTOML: the printed configuration masks the token, names each
// value's source, and reads back as the same configuration.
func TestWriteTOML(t *testing.T) {
	c, err := load(t, "[limits]\nrate = 5\n", []string{"GRIDMAP_ADMIN_TOKEN=" + secretToken, "GRIDMAP_LOG_FORMAT=json"}, "--addr", ":9000", "--basemap", "https://t.example/{z}/{x}/{y}.png?a=\"b\"")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := c.WriteTOML(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, secretToken) {
		t.Fatalf("the token is printed:\n%s", out)
	}
	for _, want := range []string{
		`admin_token = "********"  # from GRIDMAP_ADMIN_TOKEN`,
		`addr = ":9000"  # from flag --addr`,
		`format = "json"  # from GRIDMAP_LOG_FORMAT`,
		`rate = 5.0  # from `, // the file's path, then line 2
		`max_body_bytes = "1GiB"  # default`,
		`keys_file = "gridmap-data/keys.json"  # default: DATA/keys.json`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "gridmap.toml line 2\n") {
		t.Errorf("rate's source is not its file and line:\n%s", out)
	}
	// read back: the same values (the masked token aside)
	path := filepath.Join(t.TempDir(), "printed.toml")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := config.Load(config.Input{File: path})
	if err != nil {
		t.Fatal(err)
	}
	if back.AdminToken != "********" {
		t.Errorf("token read back as %q", back.AdminToken)
	}
	back.AdminToken = c.AdminToken
	if got, want := values(t, back), values(t, c); got != want {
		t.Errorf("read back:\n%s\nwant:\n%s", got, want)
	}
}

// TestSecretNotFormatted: a Config printed with fmt's verbs shows no token.
func TestSecretNotFormatted(t *testing.T) {
	c := config.Default()
	c.AdminToken = secretToken
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, c); strings.Contains(s, secretToken) {
			t.Errorf("%s shows the token: %s", verb, s)
		}
	}
	if string(c.AdminToken) != secretToken {
		t.Error("the value itself is lost")
	}
}

// TestExampleFile: gridmap.example.toml sets every key, to its default.
func TestExampleFile(t *testing.T) {
	example, err := config.Load(config.Input{File: filepath.Join("..", "gridmap.example.toml")})
	if err != nil {
		t.Fatal(err)
	}
	def, err := config.Load(config.Input{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := values(t, example), values(t, def); got != want {
		t.Errorf("the example is not the defaults:\n%s\nwant:\n%s", got, want)
	}
	var b bytes.Buffer
	example.WriteTOML(&b)
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.Contains(line, " = ") && !strings.Contains(line, "gridmap.example.toml line") && !strings.HasPrefix(line, "keys_file") {
			t.Errorf("not set in the example: %s", line)
		}
	}
}

// TestDefaultsValid: the defaults pass Validate, with and without Load.
func TestDefaultsValid(t *testing.T) {
	c := config.Default()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Log.Level = "loud"
	if err := c.Validate(); err == nil || err.Error() != `log.level: "loud" is not one of debug, info, warn, error` {
		t.Errorf("got %v", err)
	}
}

func TestParseBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want config.Bytes
		ok   bool
	}{
		{"1048576", 1 << 20, true},
		{"64MiB", 64 << 20, true},
		{"1.5 GiB", 3 << 29, true},
		{"2KiB", 2048, true},
		{"10MB", 10_000_000, true},
		{"1kB", 1000, true},
		{"7B", 7, true},
		{"MiB", 0, false},
		{"1XB", 0, false},
		{"1e30GiB", 0, false},
		{"NaNMiB", 0, false},
		{"", 0, false},
	} {
		got, err := config.ParseBytes(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseBytes(%q) = %d, %v", tc.in, got, err)
		}
	}
	for b, want := range map[config.Bytes]string{1 << 30: "1GiB", 512 << 20: "512MiB", 1000: "1000", 0: "0", 3 << 29: "1536MiB"} {
		if b.String() != want {
			t.Errorf("%d as %q, want %q", int64(b), b.String(), want)
		}
	}
}

// TestChanges: the keys that differ, in Config's order, a secret's values
// masked.
func TestChanges(t *testing.T) {
	a, b := config.Default(), config.Default()
	b.Limits.Rate, b.Log.Level, b.AdminToken = 5, "debug", secretToken
	var got []string
	for _, ch := range config.Changes(&a, &b) {
		got = append(got, ch.String())
	}
	want := `admin_token: "" → ********; log.level: info → debug; limits.rate: 0 → 5`
	if s := strings.Join(got, "; "); s != want {
		t.Errorf("got %s", s)
	}
	a.AdminToken = "another"
	if ch := config.Changes(&a, &b)[0]; strings.Contains(ch.String(), secretToken) || ch.From == ch.To {
		t.Errorf("secret change: %s", ch)
	}
}
