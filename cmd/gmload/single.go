package main

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// target is one server under load.
type target struct {
	name string
	addr string
	reqs [][]byte
	pid  int // the server's process, for its CPU time (0: unknown)
}

// buildRequests returns one prebuilt GET per point.
func buildRequests(u *url.URL, host string, pts []point, extra string) [][]byte {
	reqs := make([][]byte, len(pts))
	for i, p := range pts {
		var b []byte
		b = append(b, "GET "...)
		b = append(b, u.EscapedPath()...)
		b = append(b, "?lon="...)
		b = strconv.AppendFloat(b, p[0], 'f', 7, 64)
		b = append(b, "&lat="...)
		b = strconv.AppendFloat(b, p[1], 'f', 7, 64)
		if extra != "" {
			b = append(b, '&')
			b = append(b, extra...)
		}
		b = append(b, " HTTP/1.1\r\nHost: "...)
		b = append(b, host...)
		b = append(b, "\r\nUser-Agent: gmload\r\nAccept: application/json\r\n\r\n"...)
		reqs[i] = b
	}
	return reqs
}

func runSingle(c *Config, stdout, stderr io.Writer) error {
	u, _ := url.Parse(c.URL)
	pts, err := loadPoints(c)
	if err != nil {
		return err
	}
	gm := &target{name: "gridmap", addr: dialAddr(u), reqs: buildRequests(u, u.Host, pts, c.Query), pid: c.PID}
	targets := []*target{gm}
	if c.Bare {
		size, err := sampleSize(c, gm)
		if err != nil {
			return err
		}
		addr, barePID, stop, err := startBare(size)
		if err != nil {
			return err
		}
		defer stop()
		bu := &url.URL{Scheme: "http", Host: addr, Path: u.Path}
		bare := &target{name: "bare", addr: addr, reqs: buildRequests(bu, addr, pts, c.Query)}
		if c.PID > 0 {
			bare.pid = barePID
		}
		targets = append(targets, bare)
		fmt.Fprintf(stderr, "gmload: bare handler on %s, answer of %d bytes\n", addr, size)
	}
	rep := Report{Mode: "single", URL: c.URL, Conns: c.Conns, Points: len(pts), Rounds: c.Rounds}
	for r := 0; r < c.Rounds; r++ {
		for _, t := range targets {
			res := measure(c, t)
			res.Round = r + 1
			rep.Runs = append(rep.Runs, res)
			if !c.JSON {
				fmt.Fprintln(stderr, "gmload:", res.line())
			}
		}
	}
	rep.summarize()
	return rep.write(stdout, c.JSON)
}

// sampleSize returns the size of the bare handler's answer: of --bare-body,
// or of one gridmap answer fetched now.
func sampleSize(c *Config, gm *target) (int, error) {
	if c.BareBody != "" {
		b, err := os.ReadFile(c.BareBody)
		if err != nil {
			return 0, err
		}
		return len(b), nil
	}
	k := &conn{addr: gm.addr}
	defer k.close()
	// The median size over a few answers: points outside every grid have short answers.
	var sizes []int
	for i := 0; i < len(gm.reqs) && i < 101; i++ {
		status, body, err := k.do(gm.reqs[i], true)
		if err != nil {
			return 0, fmt.Errorf("fetch a sample answer: %w", err)
		}
		if status/100 != 2 {
			return 0, fmt.Errorf("fetch a sample answer: status %d: %s", status, body)
		}
		sizes = append(sizes, len(body))
	}
	sort.Ints(sizes)
	return sizes[len(sizes)/2], nil
}

// startBare runs this binary with --serve-bare as a child process and
// returns its address and process id.
func startBare(size int) (string, int, func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return "", 0, nil, err
	}
	f, err := os.CreateTemp("", "gmload-bare-body-")
	if err != nil {
		return "", 0, nil, err
	}
	f.Write([]byte(strings.Repeat("x", size)))
	f.Close()
	cmd := exec.Command(exe, "--serve-bare", "127.0.0.1:0", "--bare-body", f.Name())
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", 0, nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", 0, nil, err
	}
	stop := func() {
		cmd.Process.Kill()
		cmd.Wait()
		os.Remove(f.Name())
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		stop()
		return "", 0, nil, fmt.Errorf("bare handler did not start: %w", err)
	}
	return strings.TrimSpace(line), cmd.Process.Pid, stop, nil
}

// measure runs a warm-up and then one measurement against t.
func measure(c *Config, t *target) Run {
	if c.Warmup > 0 {
		load(c, t, c.Warmup, 0, false)
	}
	cpu0, ok0 := processCPU(t.pid)
	r := load(c, t, c.Duration, c.Requests, true)
	if cpu1, ok1 := processCPU(t.pid); ok0 && ok1 && r.Requests > 0 {
		r.ServerCPUus = (cpu1 - cpu0).Seconds() * 1e6 / float64(r.Requests)
	}
	return r
}

// load runs c.Conns workers against t until d passes or n requests are sent.
func load(c *Config, t *target, d time.Duration, n int, record bool) Run {
	var sent atomic.Int64
	var wg sync.WaitGroup
	lat := make([][]int64, c.Conns)
	errs := make([]map[string]int, c.Conns)
	start := time.Now()
	var deadline time.Time
	if d > 0 {
		deadline = start.Add(d)
	}
	for w := 0; w < c.Conns; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			k := &conn{addr: t.addr}
			defer k.close()
			errs[w] = map[string]int{}
			i := w * 7919
			for {
				if n > 0 && sent.Add(1) > int64(n) {
					return
				}
				t0 := time.Now()
				if !deadline.IsZero() && t0.After(deadline) {
					return
				}
				status, _, err := k.do(t.reqs[i%len(t.reqs)], false)
				el := time.Since(t0)
				i++
				switch {
				case err != nil:
					errs[w][err.Error()]++
				case status/100 != 2:
					errs[w]["status "+strconv.Itoa(status)]++
				}
				if record {
					lat[w] = append(lat[w], int64(el))
				}
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []int64
	merged := map[string]int{}
	for w := range lat {
		all = append(all, lat[w]...)
		for k, v := range errs[w] {
			merged[k] += v
		}
	}
	return newRun(t.name, all, elapsed, merged)
}
