package replicas

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"
)

// replica is one `gridmap serve` of the rig.
type replica struct {
	name string
	data string // its data directory: local copies of published files, uploads
	addr string // 127.0.0.1:PORT, kept across restarts
	// up is true while the process serves and the load sends it lookups;
	// gen counts its starts and kills, so that a lookup that fails because
	// its replica was killed meanwhile is not counted as a failure.
	up     atomic.Bool
	gen    atomic.Int64
	cmd    *exec.Cmd
	log    *tailBuffer
	exited chan error
}

// base is rep's URL.
func (rep *replica) base() string { return "http://" + rep.addr }

// kill marks rep down, sends SIGKILL and waits for the process to end. It
// reports whether the process was still running (false when it had ended
// or never started).
func (rep *replica) kill() bool {
	rep.up.Store(false)
	rep.gen.Add(1)
	if rep.cmd == nil || rep.cmd.Process.Signal(syscall.SIGKILL) != nil {
		return false
	}
	<-rep.exited
	return true
}

// progress is one line of a streamed import answer (Accept:
// application/x-ndjson): a stage as the import goes, the last line the
// answer's body with its http_status.
type progress struct {
	Stage      string `json:"stage"`
	HTTPStatus int    `json:"http_status"`
	Version    struct {
		ID string `json:"id"`
	} `json:"version"`
	Code string `json:"code"`
}

// importer is an import under way on a replica: its answer's lines as they
// come, each with the time it came.
type importer struct {
	lines chan timedLine
	err   chan error
}

type timedLine struct {
	at time.Time
	p  progress
}

// startImport posts files (layer → path) to rep's /api/v1/imports and
// streams its progress.
func (rep *replica) startImport(files map[string]string) (*importer, error) {
	ct, body, err := importBody(files)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, rep.base()+"/api/v1/imports", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Accept", "application/x-ndjson")
	im := &importer{lines: make(chan timedLine, 256), err: make(chan error, 1)}
	go func() {
		defer close(im.lines)
		resp, err := client.Do(req)
		if err != nil {
			im.err <- err
			return
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(resp.Body)
			im.err <- fmt.Errorf("import: %d %s", resp.StatusCode, b)
			return
		}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			var p progress
			if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
				im.err <- fmt.Errorf("import: %w: %.300s", err, sc.Bytes())
				return
			}
			im.lines <- timedLine{time.Now(), p}
		}
		im.err <- sc.Err()
	}()
	return im, nil
}

// until reads the import's lines until one of stage comes (or, for "",
// the last), and returns it with the time it came; ok is false when the
// answer ended first.
func (im *importer) until(stage string) (timedLine, bool) {
	for l := range im.lines {
		if l.p.Stage == stage || stage == "" && l.p.HTTPStatus != 0 {
			return l, true
		}
	}
	return timedLine{}, false
}

// importBody is the multipart body of an import of files (layer → path).
func importBody(files map[string]string) (contentType string, body []byte, err error) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for layer, path := range files {
		content, err := os.ReadFile(path)
		if err != nil {
			return "", nil, err
		}
		part, err := w.CreateFormFile(layer, filepath.Base(path))
		if err != nil {
			return "", nil, err
		}
		part.Write(content)
	}
	if err := w.WriteField("who", "replicas test"); err != nil {
		return "", nil, err
	}
	if err := w.Close(); err != nil {
		return "", nil, err
	}
	return w.FormDataContentType(), b.Bytes(), nil
}

// post sends an admin POST without a body to rep and returns the status,
// the problem's code and the Retry-After header.
func (rep *replica) post(path string) (status int, code, retryAfter string, err error) {
	return rep.send(http.MethodPost, path)
}

// getCode sends GET path to rep and returns the status and the problem's
// code.
func (rep *replica) getCode(path string) (status int, code string, err error) {
	status, code, _, err = rep.send(http.MethodGet, path)
	return status, code, err
}

// send sends an admin request without a body to rep and returns the
// status, the problem's code and the Retry-After header.
func (rep *replica) send(method, path string) (status int, code, retryAfter string, err error) {
	req, err := http.NewRequest(method, rep.base()+path, nil)
	if err != nil {
		return 0, "", "", err
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	var p struct {
		Code string `json:"code"`
	}
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &p) // a 200 has no code
	return resp.StatusCode, p.Code, resp.Header.Get("Retry-After"), nil
}
