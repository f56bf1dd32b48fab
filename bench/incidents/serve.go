package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/sample"
	"github.com/gridmap/gridmap/store"
)

// loadSample imports the bundled Jiangyin sample into the empty data
// directory dir with bin's import (as gridmap serve would on first start,
// without its sample incidents, so the incident store starts empty) and
// returns its layers.
func loadSample(ctx context.Context, bin, dir string) (*geo.Dataset, error) {
	layers := filepath.Join(dir, "sample")
	if err := os.MkdirAll(layers, 0o755); err != nil {
		return nil, err
	}
	paths, err := sample.Extract(layers)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin, append([]string{"import", "--data", dir}, paths...)...)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("gridmap import the sample: %w", err)
	}
	st, err := store.OpenDir(dir)
	if err != nil {
		return nil, err
	}
	cat, err := catalog.New(catalog.Options{Store: st, PublishOnly: true})
	if err != nil {
		return nil, err
	}
	d, _, err := cat.Load(ctx, "active")
	return d, err
}

// buildBinary builds cmd/gridmap into dir and returns its path.
func buildBinary(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "gridmap")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/gridmap")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/gridmap (run from the repository's root): %w", err)
	}
	return bin, nil
}

var servingLine = regexp.MustCompile(`serving version \S+ on (https?://[0-9.:]+)/`)

// startServer runs bin serve on data at a free loopback port, without rate
// limits, with token as the admin token, and returns its base URL once it
// serves; the process ends with ctx.
func startServer(ctx context.Context, bin, data, token string, extra []string) (string, *exec.Cmd, error) {
	args := append([]string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--limits-rate", "0", "--log-level", "warn"}, extra...)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "GRIDMAP_ADMIN_TOKEN="+token)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		close(found)
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case base, ok := <-found:
		if !ok {
			return "", nil, errors.New("gridmap serve ended before serving")
		}
		return base, cmd, nil
	case <-time.After(2 * time.Minute):
		return "", nil, errors.New("gridmap serve did not serve within 2 minutes")
	}
}
