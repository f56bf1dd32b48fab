package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// server is a gridmap serve process on a loopback port.
type server struct {
	base string
	cmd  *exec.Cmd
	done chan error
}

// build compiles ./cmd/gridmap (run from the repository's root) into dir.
func build(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "gridmap")
	if err := runCmd(exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/gridmap")); err != nil {
		return "", fmt.Errorf("build gridmap (run from the repository's root): %w", err)
	}
	return bin, nil
}

func runCmd(c *exec.Cmd) error {
	c.Stdout, c.Stderr = os.Stderr, os.Stderr
	return c.Run()
}

// serve starts bin serve on data at a free loopback port, without rate
// limits, and waits until /healthz answers.
func serve(ctx context.Context, bin, data string) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.CommandContext(ctx, bin, "serve", "--data", data, "--addr", addr, "--limits-rate", "0", "--log-level", "warn")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{base: "http://" + addr, cmd: cmd, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("gridmap serve ended: %v", err)
		case <-time.After(200 * time.Millisecond):
		}
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
	}
	s.stop()
	return nil, fmt.Errorf("gridmap serve at %s not healthy after 5 minutes", addr)
}

// stop interrupts the server and waits for it.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// stats asks GET /api/v1/stats?layer=L and returns the total and the
// server's answer time.
func (s *server) stats(layer string) (int, time.Duration, error) {
	t0 := time.Now()
	resp, err := http.Get(s.base + "/api/v1/stats?layer=" + layer)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	var r struct {
		Total struct {
			Total int `json:"total"`
		} `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return 0, 0, fmt.Errorf("stats?layer=%s: %s: %w", layer, resp.Status, err)
	}
	return r.Total.Total, time.Since(t0), nil
}

// waitIncidents waits until the stats count at least n incidents (the
// ledger is loaded) and returns the count.
func (s *server) waitIncidents(ctx context.Context, n int) (int, error) {
	layers, err := s.layers()
	if err != nil {
		return 0, err
	}
	for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); {
		total, _, err := s.stats(layers[0])
		if err == nil && total >= n {
			return total, nil
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return 0, fmt.Errorf("the server does not count %d incidents after 5 minutes", n)
}

// layers are the ids of the tile layers, coarse to fine, without labels.
func (s *server) layers() ([]string, error) {
	resp, err := http.Get(s.base + "/tiles.json")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var tj struct {
		VectorLayers []struct {
			ID string `json:"id"`
		} `json:"vector_layers"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tj); err != nil {
		return nil, fmt.Errorf("tiles.json: %w", err)
	}
	var ids []string
	for _, l := range tj.VectorLayers {
		if l.ID != "labels" {
			ids = append(ids, l.ID)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("tiles.json names no layer")
	}
	return ids, nil
}
