// Package pgtest gives tests a real PostgreSQL + PostGIS database: a fresh
// database in the private cluster that scripts/test.sh starts on a loopback
// port (GRIDMAP_TEST_PG, printed by scripts/pg.sh start), or a private
// cluster of a test's own (StartCluster) for tests that stop and restart
// the server. Without a cluster the tests skip, except under CI, where they
// fail: CI must run them.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDSN names the variable holding the DSN of the shared test cluster's
// database postgres (scripts/pg.sh start prints it).
const EnvDSN = "GRIDMAP_TEST_PG"

// missing skips t, or fails it under CI, because why.
func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("pgtest: %s (CI runs the PostgreSQL tests: scripts/test.sh starts the cluster)", why)
	}
	t.Skipf("pgtest: %s; run eval \"$(bash scripts/pg.sh start)\" first, or bash scripts/test.sh", why)
}

// NewDB creates a database of its own for t in the shared test cluster,
// with the postgis extension, and returns its DSN; it is dropped when t
// ends.
func NewDB(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvDSN)
	if admin == "" {
		missing(t, EnvDSN+" is not set")
	}
	return CreateDB(t, admin)
}

// CreateDB creates a database with the postgis extension in the cluster
// of the admin DSN and returns its DSN; it is dropped when t ends.
func CreateDB(t testing.TB, admin string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("pgtest: connect to the test cluster: %v", err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	rand.Read(b[:])
	name := "gmtest_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", EnvDSN, err)
	}
	u.Path = "/" + name
	dsn := u.String()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if c, err := pgx.Connect(ctx, admin); err == nil {
			c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(ctx)
		}
	})
	db, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("pgtest: connect to %s: %v", name, err)
	}
	defer db.Close(ctx)
	if _, err := db.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS postgis"); err != nil {
		t.Fatalf("pgtest: create extension postgis: %v", err)
	}
	return dsn
}

// Cluster is a private PostgreSQL cluster of one test (scripts/pg.sh), for
// tests that stop or restart the database server.
type Cluster struct {
	// Dir holds the cluster's data, log and socket.
	Dir string
	// Admin is the DSN of its database postgres.
	Admin  string
	script string
}

// StartCluster starts a private cluster in a temporary directory on a free
// loopback port; it is stopped and removed when t ends.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		missing(t, "no bash")
	}
	if os.Getenv(EnvDSN) == "" && os.Getenv("CI") == "" {
		// outside CI without the shared cluster, PostgreSQL may be absent
		if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb"); len(m) == 0 {
			missing(t, "PostgreSQL is not installed")
		}
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	dir, err := os.MkdirTemp("", "gridmap-pgtest-")
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{Dir: dir, script: filepath.Join(root, "scripts", "pg.sh")}
	out, err := exec.Command("bash", c.script, "start", dir).Output()
	if err != nil {
		os.RemoveAll(dir)
		t.Fatalf("pgtest: start a cluster: %v (%s)", err, stderrOf(err))
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "export "+EnvDSN+"="); ok {
			c.Admin = strings.Trim(v, "'")
		}
	}
	t.Cleanup(func() {
		c.Stop(t)
		os.RemoveAll(dir)
	})
	if c.Admin == "" {
		t.Fatalf("pgtest: pg.sh start printed no DSN: %s", out)
	}
	return c
}

// Stop stops the cluster's server (fast shutdown: sessions are cut).
func (c *Cluster) Stop(t testing.TB) { c.run(t, "stop") }

// Start starts the stopped server again on the same port.
func (c *Cluster) Start(t testing.TB) {
	t.Helper()
	if out, err := exec.Command("bash", c.script, "start", c.Dir).Output(); err != nil {
		t.Fatalf("pgtest: start again: %v (%s) %s", err, stderrOf(err), out)
	}
}

// Restart restarts the server (fast shutdown, then start).
func (c *Cluster) Restart(t testing.TB) { c.run(t, "restart") }

func (c *Cluster) run(t testing.TB, cmd string) {
	t.Helper()
	if out, err := exec.Command("bash", c.script, cmd, c.Dir).CombinedOutput(); err != nil {
		t.Errorf("pgtest: pg.sh %s: %v: %s", cmd, err, out)
	}
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// repoRoot is the directory holding go.mod, above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = up
	}
}
