package shardsim

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// Build compiles cmd/gridmap into dir and returns the binary's path.
func Build(dir string) (string, error) {
	bin := filepath.Join(dir, "gridmap")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/gridmap/gridmap/cmd/gridmap").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build cmd/gridmap: %w\n%s", err, out)
	}
	return bin, nil
}

// Import runs `gridmap import --data data ARGS…`.
func Import(bin, data string, args []string) error {
	out, err := exec.Command(bin, append([]string{"import", "--data", data}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("gridmap import %s: %w\n%s", data, err, out)
	}
	return nil
}

// Process is a running gridmap command.
type Process struct {
	// URL is where it listens, http://127.0.0.1:PORT.
	URL    string
	cmd    *exec.Cmd
	exited chan error
	mu     sync.Mutex
	log    bytes.Buffer
}

// Run runs `gridmap ARGS… --addr 127.0.0.1:PORT` on a free port and
// returns once GET /readyz answers 200.
func Run(bin string, args ...string) (*Process, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	p := &Process{URL: "http://" + addr, exited: make(chan error, 1)}
	p.cmd = exec.Command(bin, append(args, "--addr", addr)...)
	p.cmd.Stdout, p.cmd.Stderr = p, p
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { p.exited <- p.cmd.Wait() }()
	for {
		if resp, err := http.Get(p.URL + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		select {
		case err := <-p.exited:
			return nil, fmt.Errorf("gridmap %v exited: %v\n%s", args, err, p.Log())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Write keeps the process's output (the last 64 KiB of it).
func (p *Process) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.log.Len() > 64<<10 {
		tail := bytes.Clone(p.log.Bytes()[p.log.Len()-32<<10:])
		p.log.Reset()
		p.log.Write(tail)
	}
	return p.log.Write(b)
}

// Log returns the last of the process's output.
func (p *Process) Log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// Pid returns the process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Stop interrupts the process and waits for it to end.
func (p *Process) Stop() {
	p.cmd.Process.Signal(os.Interrupt) //nolint:errcheck // it may have ended
	<-p.exited
}
