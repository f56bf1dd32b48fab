package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"time"
)

// The attackers can run in a process of their own (--attacker-process),
// pinned to the last core with taskset while the server and the measuring
// clients are pinned to the others: in production an abusive client is
// another machine, and its own work (a new connection a request, body
// bytes written until the server closes) must not be counted as the
// server's. Without taskset the two processes share the cores.

// attackFor runs the attack of a against a.base for d, then prints what the
// attackers met: the body of a child process started by attackProcess.
func (a attack) attackFor(d time.Duration) {
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	stats := &attackStats{}
	startSlowloris(ctx, &wg, a.base, a.headers, a.bodies, stats)
	startOversized(ctx, &wg, a.base, a.capped, stats)
	time.Sleep(d)
	stop()
	wg.Wait()
	fmt.Printf("attackers: %s\n", stats)
}

// attackProcess starts this program again as the attackers of a, for d, on
// the last core when taskset is there. The caller waits for it.
func (a attack) attackProcess(d time.Duration) (*exec.Cmd, error) {
	args := []string{"--attack", a.base, "--attack-for", d.String(),
		"--slow-headers", strconv.Itoa(a.headers), "--slow-bodies", strconv.Itoa(a.bodies),
		"--capped-batches=" + strconv.FormatBool(a.capped)}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, args...)
	if ts, err := exec.LookPath("taskset"); err == nil && lastCore() > 0 {
		cmd = exec.Command(ts, append([]string{"-c", strconv.Itoa(lastCore()), self}, args...)...)
	}
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd, cmd.Start()
}

// pinServer pins this process (every thread) to the cores but the last,
// when taskset is there and there are two cores or more.
func pinServer() {
	ts, err := exec.LookPath("taskset")
	if err != nil || lastCore() == 0 {
		fmt.Println("attackers share the cores with the server (no taskset or one core)")
		return
	}
	cores := "0-" + strconv.Itoa(lastCore()-1)
	if err := exec.Command(ts, "-a", "-p", "-c", cores, strconv.Itoa(os.Getpid())).Run(); err != nil {
		fmt.Println("taskset:", err)
		return
	}
	fmt.Printf("server and measuring clients on cores %s, attackers on core %d\n", cores, lastCore())
}

// lastCore is the number of this machine's last core.
func lastCore() int { return runtime.NumCPU() - 1 }
