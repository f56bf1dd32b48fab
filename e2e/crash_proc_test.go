package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// crashToken is the bootstrap admin token of the servers of the crash test,
// given as GRIDMAP_ADMIN_TOKEN.
const crashToken = "crash-test-admin-token"

// crashStartTimeout bounds a restart; it is a guard against a hung server,
// not a measurement.
const crashStartTimeout = 60 * time.Second

// buildGridmap builds cmd/gridmap into a temporary directory and returns the
// binary's path.
func buildGridmap(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gridmap")
	build := exec.Command("go", "build", "-o", bin, "../cmd/gridmap")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ../cmd/gridmap: %v\n%s", err, out)
	}
	return bin
}

// serveProc is a running `gridmap serve`.
type serveProc struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:PORT
	log    *tailBuffer
	exited chan error
}

// startServe starts `gridmap serve` on data and waits until /healthz
// answers 200; it fails the test when the server exits first (after a few
// tries when the free port it was given was taken meanwhile).
func startServe(t *testing.T, bin, data string) *serveProc {
	t.Helper()
	for try := 0; ; try++ {
		p, err := tryServe(t, bin, data)
		if err == nil {
			return p
		}
		if try == 3 || !strings.Contains(p.log.String(), "address already in use") {
			t.Fatalf("gridmap serve: %v\n%s", err, p.log)
		}
	}
}

// tryServe starts `gridmap serve` on data and a free port and waits until
// /healthz answers 200.
func tryServe(t *testing.T, bin, data string) (*serveProc, error) {
	addr := freeAddr(t)
	p := &serveProc{base: "http://" + addr, log: &tailBuffer{max: 8 << 10}, exited: make(chan error, 1)}
	p.cmd = exec.Command(bin, "serve", "--data", data, "--addr", addr)
	p.cmd.Env = append(os.Environ(), "GRIDMAP_ADMIN_TOKEN="+crashToken)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		return p, err
	}
	go func() { p.exited <- p.cmd.Wait() }()
	deadline := time.Now().Add(crashStartTimeout)
	for {
		code, _, err := p.get("/healthz")
		if err == nil && code == http.StatusOK {
			return p, nil
		}
		select {
		case err := <-p.exited:
			return p, fmt.Errorf("exited at start: %w", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.kill()
			return p, fmt.Errorf("not healthy after %v (last: %d %v)", crashStartTimeout, code, err)
		}
	}
}

// kill sends SIGKILL and waits for the process to end. It reports whether
// the process was still running (false when it had already exited).
func (p *serveProc) kill() bool {
	select {
	case <-p.exited:
		return false
	default:
	}
	p.cmd.Process.Kill()
	<-p.exited
	return true
}

// crashClient bounds every request so that a test never hangs on a server
// that stopped answering.
var crashClient = &http.Client{Timeout: crashStartTimeout}

// get sends GET path and returns the status and the body.
func (p *serveProc) get(path string) (int, []byte, error) {
	resp, err := crashClient.Get(p.base + path)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// getJSON sends GET path and decodes a 200 answer into v.
func (p *serveProc) getJSON(path string, v any) error {
	code, b, err := p.get(path)
	if err != nil {
		return err
	}
	if code != http.StatusOK {
		return fmt.Errorf("GET %s: %d %s", path, code, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("GET %s: %w: %s", path, err, b)
	}
	return nil
}

// post sends an admin POST and reads the whole answer; a nil error means the
// answer arrived complete, whatever its status.
func (p *serveProc) post(path, contentType string, body []byte) (int, error) {
	req, err := http.NewRequest(http.MethodPost, p.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+crashToken)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := crashClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// importBody is the multipart body of POST /api/v1/imports: one file part
// per layer (the field names the layer) and the who field.
func importBody(files map[string]string, layers []string, who string) (contentType string, body []byte, err error) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, l := range layers {
		content, err := os.ReadFile(files[l])
		if err != nil {
			return "", nil, err
		}
		part, err := w.CreateFormFile(l, filepath.Base(files[l]))
		if err != nil {
			return "", nil, err
		}
		part.Write(content)
	}
	if err := w.WriteField("who", who); err != nil {
		return "", nil, err
	}
	if err := w.Close(); err != nil {
		return "", nil, err
	}
	return w.FormDataContentType(), b.Bytes(), nil
}

// lookupPath is the GET of a single lookup of (lon, lat), WGS84 degrees.
func lookupPath(lon, lat float64) string {
	q := url.Values{"lon": {fmt.Sprint(lon)}, "lat": {fmt.Sprint(lat)}}
	return "/api/v1/lookup?" + q.Encode()
}

// importArgs are the arguments of `gridmap import` of layers into data.
func importArgs(data string, files map[string]string, layers []string, who string) []string {
	args := []string{"import", "--data", data, "--who", who}
	for _, l := range layers {
		args = append(args, l+"="+files[l])
	}
	return args
}
