// Package deploy_test checks the operators' example, deploy/compose.yaml
// and haproxy.cfg, as far as a machine without Docker can: the files
// parse, every service it needs is there with its image, command, health
// check and dependencies, no password is written in them, and the proxy
// checks /readyz of exactly the three replicas.
package deploy_test

import (
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

type compose struct {
	Services map[string]service `json:"services"`
	Secrets  map[string]struct {
		File string `json:"file"`
	} `json:"secrets"`
	Volumes map[string]any `json:"volumes"`
}

type service struct {
	Image       string            `json:"image"`
	Command     []string          `json:"command"`
	Environment map[string]string `json:"environment"`
	Secrets     []string          `json:"secrets"`
	Volumes     []string          `json:"volumes"`
	Ports       []string          `json:"ports"`
	DependsOn   any               `json:"depends_on"`
	Healthcheck *struct {
		Test []string `json:"test"`
	} `json:"healthcheck"`
}

func load(t *testing.T) compose {
	t.Helper()
	data, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	return c
}

// replicas are the gridmap replicas the proxy balances.
var replicas = []string{"gridmap-1", "gridmap-2", "gridmap-3"}

func TestComposeServices(t *testing.T) {
	c := load(t)
	for _, tc := range []struct {
		name, image string
		command     []string
		health      string // a word the health check's test holds; "" none needed
		dependsOn   string // a service it waits for
	}{
		{"postgis", "postgis/postgis:15-3", nil, "pg_isready", ""},
		{"migrate", "gridmap:", []string{"migrate", "up"}, "", "postgis"},
		{"gridmap-1", "gridmap:", []string{"serve"}, "", "migrate"},
		{"gridmap-2", "gridmap:", []string{"serve"}, "", "gridmap-1"},
		{"gridmap-3", "gridmap:", []string{"serve"}, "", "gridmap-1"},
		{"proxy", "haproxy:", nil, "healthz", "gridmap-3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := c.Services[tc.name]
			if !ok {
				t.Fatalf("no service %s", tc.name)
			}
			if !strings.HasPrefix(s.Image, tc.image) {
				t.Errorf("image %q, want %s…", s.Image, tc.image)
			}
			if tc.command != nil && !slices.Equal(s.Command, tc.command) {
				t.Errorf("command %q, want %q", s.Command, tc.command)
			}
			if tc.health != "" && (s.Healthcheck == nil || !strings.Contains(strings.Join(s.Healthcheck.Test, " "), tc.health)) {
				t.Errorf("healthcheck %+v, want one with %q", s.Healthcheck, tc.health)
			}
			if tc.dependsOn != "" && !dependsOn(s.DependsOn, tc.dependsOn) {
				t.Errorf("depends_on %v, want %s", s.DependsOn, tc.dependsOn)
			}
		})
	}
}

// dependsOn reports whether a depends_on value (a list or a map) names svc.
func dependsOn(v any, svc string) bool {
	switch v := v.(type) {
	case []any:
		return slices.Contains(v, any(svc))
	case map[string]any:
		_, ok := v[svc]
		return ok
	}
	return false
}

// TestComposeReplicas: every gridmap service uses the PostgreSQL store by
// a URL without a password, reads the password from a secret the file
// declares, and each replica keeps its local copies in a volume of its own.
func TestComposeReplicas(t *testing.T) {
	c := load(t)
	volumes := map[string]string{}
	for _, name := range append([]string{"migrate"}, replicas...) {
		s := c.Services[name]
		u, err := url.Parse(s.Environment["GRIDMAP_STORE"])
		if err != nil || u.Scheme != "postgres" || u.Host != "postgis:5432" {
			t.Errorf("%s: GRIDMAP_STORE %q, want postgres://…@postgis:5432/…", name, s.Environment["GRIDMAP_STORE"])
			continue
		}
		if _, set := u.User.Password(); set {
			t.Errorf("%s: GRIDMAP_STORE holds a password", name)
		}
		secret := strings.TrimPrefix(s.Environment["PGPASSFILE"], "/run/secrets/")
		if !slices.Contains(s.Secrets, secret) || c.Secrets[secret].File == "" {
			t.Errorf("%s: PGPASSFILE %q is not a secret it mounts", name, s.Environment["PGPASSFILE"])
		}
		if name == "migrate" {
			continue
		}
		if len(s.Volumes) != 1 || !strings.HasSuffix(s.Volumes[0], ":/data") {
			t.Errorf("%s: volumes %q, want one at /data", name, s.Volumes)
			continue
		}
		vol := strings.TrimSuffix(s.Volumes[0], ":/data")
		if other, ok := volumes[vol]; ok {
			t.Errorf("%s and %s share volume %s", name, other, vol)
		}
		volumes[vol] = name
		if _, ok := c.Volumes[vol]; !ok {
			t.Errorf("%s: volume %s not declared", name, vol)
		}
	}
}

// TestNoPasswordWritten: no value in compose.yaml or haproxy.cfg looks
// like a password; PostGIS reads its own from a file.
func TestNoPasswordWritten(t *testing.T) {
	c := load(t)
	for name, s := range c.Services {
		for k, v := range s.Environment {
			if strings.Contains(k, "PASSWORD") && !strings.HasSuffix(k, "_FILE") {
				t.Errorf("%s: %s=%q: pass a file (%s_FILE), not the password", name, k, v, k)
			}
		}
	}
	if c.Services["postgis"].Environment["POSTGRES_PASSWORD_FILE"] == "" {
		t.Error("postgis: no POSTGRES_PASSWORD_FILE")
	}
	for _, f := range []string{"compose.yaml", "haproxy.cfg"} {
		data, _ := os.ReadFile(f)
		if m := regexp.MustCompile(`postgres://[^@\s/]*:[^@\s/]+@`).Find(data); m != nil {
			t.Errorf("%s: a URL with a password: %s", f, m)
		}
	}
}

// TestProxyChecksReplicas: the proxy's config is the one compose mounts,
// checks GET /readyz and balances exactly the three replicas.
func TestProxyChecksReplicas(t *testing.T) {
	c := load(t)
	mount := c.Services["proxy"].Volumes
	if len(mount) != 1 || !strings.HasPrefix(mount[0], "./haproxy.cfg:") {
		t.Fatalf("proxy volumes %q, want ./haproxy.cfg mounted", mount)
	}
	data, err := os.ReadFile("haproxy.cfg")
	if err != nil {
		t.Fatal(err)
	}
	sections := haproxySections(string(data))
	for _, tc := range []struct{ section, check string }{
		{"backend replicas", "option httpchk GET /readyz"},
		{"backend alive", "option httpchk GET /healthz"},
	} {
		body := sections[tc.section]
		for _, want := range []string{tc.check, "http-check expect status 200"} {
			if !strings.Contains(body, want) {
				t.Errorf("haproxy.cfg %s lacks %q", tc.section, want)
			}
		}
		var servers []string
		for _, m := range regexp.MustCompile(`(?m)^\s*server\s+(\S+)\s+(\S+):8080\b`).FindAllStringSubmatch(body, -1) {
			if _, ok := c.Services[m[2]]; !ok || m[1] != m[2] {
				t.Errorf("%s: server %s at %s: not a service of compose.yaml by its name", tc.section, m[1], m[2])
			}
			servers = append(servers, m[2])
		}
		if !slices.Equal(servers, replicas) {
			t.Errorf("%s: servers %q, want %q", tc.section, servers, replicas)
		}
	}
	front := sections["frontend gridmap"]
	for _, want := range []string{"bind :8080", "default_backend replicas", "use_backend alive if { nbsrv(replicas) lt 1 }"} {
		if !strings.Contains(front, want) {
			t.Errorf("haproxy.cfg frontend gridmap lacks %q", want)
		}
	}
	if !strings.Contains(c.Services["proxy"].Ports[0], ":8080") {
		t.Errorf("proxy ports %q, want the proxy's 8080 published", c.Services["proxy"].Ports)
	}
}

// haproxySections splits an HAProxy config into its sections by their
// header line ("backend replicas"), each with the lines under it.
func haproxySections(cfg string) map[string]string {
	out := map[string]string{}
	head := ""
	for _, line := range strings.Split(cfg, "\n") {
		if line != "" && line[0] != ' ' && line[0] != '\t' && line[0] != '#' {
			head = strings.TrimSpace(line)
			continue
		}
		out[head] += line + "\n"
	}
	return out
}
