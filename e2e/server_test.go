package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// serverStartTimeout bounds the first start, which imports the sample data.
const serverStartTimeout = 90 * time.Second

// artifactsDir is GRIDMAP_ARTIFACTS, or artifacts/ at the repository root.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("GRIDMAP_ARTIFACTS")
	if dir == "" {
		root, err := filepath.Abs("..")
		if err != nil {
			t.Fatalf("repository root: %v", err)
		}
		dir = filepath.Join(root, "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts dir: %v", err)
	}
	return dir
}

// gridmapServer is a server under test.
type gridmapServer struct {
	// Base is the URL, without a trailing slash.
	Base string
	// Bin and Data are the binary and the data directory it serves, empty
	// for a server named by GRIDMAP_E2E_URL.
	Bin, Data string
}

// startServer returns a gridmap server for the test: the one named by
// GRIDMAP_E2E_URL, or a freshly built binary serving a temporary data
// directory on a free loopback port, with env (KEY=VALUE) added to its
// environment, stopped when the test ends.
func startServer(t *testing.T, env ...string) gridmapServer {
	t.Helper()
	return startServerOn(t, nil, env...)
}

// startServerOn is startServer with prepare, when not nil, called with the
// built binary and the empty data directory before the server starts (to
// import a data set of the test's own). With GRIDMAP_E2E_URL, prepare is
// not called.
func startServerOn(t *testing.T, prepare func(bin, data string), env ...string) gridmapServer {
	t.Helper()
	if u := os.Getenv("GRIDMAP_E2E_URL"); u != "" {
		u = strings.TrimRight(u, "/")
		waitHealthy(t, u, nil, serverStartTimeout)
		return gridmapServer{Base: u}
	}

	bin := filepath.Join(t.TempDir(), "gridmap")
	build := exec.Command("go", "build", "-o", bin, "../cmd/gridmap")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ../cmd/gridmap: %v\n%s", err, out)
	}

	addr := freeAddr(t)
	logPath := filepath.Join(artifactsDir(t), "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatalf("server log: %v", err)
	}
	tail := &tailBuffer{max: 8 << 10}
	data := t.TempDir()
	if prepare != nil {
		prepare(bin, data)
	}
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", addr)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = io.MultiWriter(logFile, tail)
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		_ = logFile.Close()
		if t.Failed() {
			t.Logf("server log (%s), last lines:\n%s", logPath, tail.String())
		}
	})

	base := "http://" + addr
	waitHealthy(t, base, exited, serverStartTimeout)
	return gridmapServer{Base: base, Bin: bin, Data: data}
}

// waitHealthy polls base/healthz until it answers 200, the server exits, or
// the timeout passes.
func waitHealthy(t *testing.T, base string, exited <-chan error, timeout time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	client := &http.Client{Timeout: 5 * time.Second}
	var last error
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		last = err
		select {
		case err := <-exited:
			t.Fatalf("server exited before /healthz answered: %v", err)
		case <-ctx.Done():
			t.Fatalf("server at %s not healthy after %s: %v", base, timeout, last)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		t.Fatalf("free port: %v", err)
	}
	return addr
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if over := b.buf.Len() - b.max; over > 0 {
		b.buf.Next(over)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
