package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// openBatch starts an NDJSON batch lookup on base, sends its first point
// and waits for that point's answer, so that the batch is in flight in the
// handler. It returns the body's writer and the answer's reader.
func openBatch(t *testing.T, base string) (*io.PipeWriter, *bufio.Reader, *http.Response) {
	t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/lookup", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	// the answer's header comes with the first point's answer
	go fmt.Fprintln(pw, `{"id":"p0","lon":120.2817,"lat":31.9065}`)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	br := bufio.NewReader(resp.Body)
	if line, err := br.ReadString('\n'); err != nil || !strings.HasPrefix(line, `{"id":"p0"`) {
		t.Fatalf("first answer %q, %v", line, err)
	}
	return pw, br, resp
}

// refused waits until nothing accepts connections on base's address.
func refused(t *testing.T, base string) {
	t.Helper()
	addr := strings.TrimPrefix(base, "http://")
	for range 500 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the server still accepts connections after SIGTERM")
}

// TestSIGTERMDrains: on SIGTERM a real gridmap serve stops accepting, ends
// the event streams, lets a batch in flight send the rest of its points and
// get every answer, then exits 0 without cutting anything.
func TestSIGTERMDrains(t *testing.T) {
	p := gridmap(t, nil, "serve", "--data", sampleData(t), "--addr", "127.0.0.1:0", "--limits-shutdown-timeout", "2m")
	base := p.serving(t)
	events, err := http.Get(base + "/api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	pw, br, resp := openBatch(t, base)

	p.signal(t, syscall.SIGTERM)
	refused(t, base)
	if _, err := io.Copy(io.Discard, events.Body); err != nil {
		t.Errorf("event stream ended with %v, want a clean end", err)
	}
	// the batch goes on: more points, each answered, then the end
	const more = 50
	go func() {
		for i := 1; i <= more; i++ {
			fmt.Fprintf(pw, "{\"id\":\"p%d\",\"lon\":120.30,\"lat\":31.90}\n", i)
		}
		pw.Close()
	}()
	n := 0
	for {
		line, err := br.ReadString('\n')
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d answers: %v", n, err)
		}
		if !strings.HasPrefix(line, fmt.Sprintf(`{"id":"p%d"`, n+1)) {
			t.Fatalf("answer %d: %q", n+1, line)
		}
		n++
	}
	if n != more || resp.Trailer.Get("X-Gridmap-Points") != fmt.Sprint(more+1) {
		t.Errorf("%d answers after SIGTERM, trailer %q; want %d and %d", n, resp.Trailer.Get("X-Gridmap-Points"), more, more+1)
	}
	if code := p.exit(t); code != 0 {
		t.Errorf("exit %d", code)
	}
	if strings.Contains(p.stderr.String(), "cut") {
		t.Errorf("connections cut:\n%s", p.stderr.String())
	}
}

// TestShutdownDeadline: a batch that does not end within
// limits.shutdown_timeout is cut, and the log says how many connections
// were.
func TestShutdownDeadline(t *testing.T) {
	p := gridmap(t, []string{"GRIDMAP_LIMITS_SHUTDOWN_TIMEOUT=300ms"}, "serve", "--data", sampleData(t), "--addr", "127.0.0.1:0")
	base := p.serving(t)
	pw, br, _ := openBatch(t, base)
	defer pw.Close()
	p.signal(t, syscall.SIGTERM)
	p.waitLog(t, `cut 1 connection\(s\) still busy after 300ms \(limits.shutdown_timeout\)`)
	if code := p.exit(t); code != 0 {
		t.Errorf("exit %d", code)
	}
	if _, err := io.ReadAll(br); err == nil {
		t.Error("the cut batch ended as if complete")
	}
}

// TestSIGHUPReloads: SIGHUP reads the configuration file again and logs
// what changed; a file with a bad value is refused naming key, file and
// line, and the server goes on serving. The admin address answers HTTP and
// pprof is never on the main address.
func TestSIGHUPReloads(t *testing.T) {
	file := filepath.Join(t.TempDir(), "gridmap.toml")
	write := func(s string) {
		if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("[limits]\nrate = 0.0\n")
	p := gridmap(t, []string{"GRIDMAP_CONFIG=" + file}, "serve", "--data", sampleData(t), "--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--debug-pprof")
	base := p.serving(t)
	admin := p.waitLog(t, `msg="admin address" addr=([0-9.:]+)`)[1]

	write("[limits]\nrate = 5.0\nburst = 10\n[log]\nlevel = \"debug\"\n")
	p.signal(t, syscall.SIGHUP)
	p.waitLog(t, `msg="configuration reloaded" file=\S+ changed="log.level: info → debug; limits.rate: 0 → 5; limits.burst: 100 → 10"`)

	write("# a comment\n[limits]\nrate = \"fast\"\n")
	p.signal(t, syscall.SIGHUP)
	p.waitLog(t, `reload refused: the configuration stays as it was" err="limits.rate: \\"fast\\" is not a number \(from \S+gridmap.toml line 3\)"`)

	for _, tc := range []struct {
		url  string
		want int
	}{
		{base + "/healthz", http.StatusOK},
		{base + "/debug/pprof/", http.StatusNotFound},
	} {
		resp, err := http.Get(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("GET %s: %d, want %d", tc.url, resp.StatusCode, tc.want)
		}
	}
	resp, err := http.Get("http://" + admin + "/")
	if err != nil {
		t.Fatalf("admin address: %v", err)
	}
	resp.Body.Close()
}
