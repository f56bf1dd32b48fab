package e2e

import (
	"fmt"
	"maps"
	"os/exec"
	"slices"
	"time"

	"github.com/gridmap/gridmap/store"
)

// interrupt runs the operation of kind k on the data directory the server
// serves (an import of set by who, or the activation of target) and kills
// it after delay. It reports whether the operation was still running.
func (r *crashRig) interrupt(k crashKind, set, who, target string, delay time.Duration) bool {
	switch k {
	case killImportCLI:
		return r.killImport(set, who, delay)
	case killServeImport:
		ct, body, err := importBody(r.files[set], crashLayers, who)
		if err != nil {
			r.t.Fatal(err)
		}
		return r.killDuring("/api/v1/imports", ct, body, 201, delay)
	default:
		return r.killDuring("/api/v1/versions/"+target+"/activate", "", nil, 200, delay)
	}
}

// delay draws when to kill an operation that took est uninterrupted: at any
// moment of it or, one time in two, in its last quarter or a little after,
// where it writes.
func (r *crashRig) delay(est time.Duration) time.Duration {
	u := r.rng.Float64()
	if r.rng.Intn(2) == 0 {
		u = 0.75 + 0.35*u
	}
	return time.Duration(u * float64(est))
}

// adapt shortens the time expected of kind k on set after a kill that came
// past the end of the operation: the uninterrupted run that set it, the
// first of a cold process, is slower than those that follow.
func (r *crashRig) adapt(k crashKind, set string, killed bool) {
	if !killed {
		r.est[key(k, set)] = r.est[key(k, set)] * 85 / 100
	}
}

// killImport runs gridmap import of set beside the running server, kills it
// after delay, then kills the server too. It reports whether the import
// was still running.
func (r *crashRig) killImport(set string, who string, delay time.Duration) bool {
	killed := r.killCmd(exec.Command(r.bin, importArgs(r.data, r.files[set], crashLayers, who)...), delay)
	if !r.srv.kill() {
		r.t.Fatalf("the server died during a killed import:\n%s", r.srv.log)
	}
	return killed
}

// killCmd starts cmd and kills it after delay. It reports whether cmd was
// still running; one that had ended must have succeeded.
func (r *crashRig) killCmd(cmd *exec.Cmd, delay time.Duration) bool {
	out := &tailBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	time.Sleep(delay)
	cmd.Process.Kill()
	err := cmd.Wait()
	killed := cmd.ProcessState.ExitCode() == -1
	if err != nil && !killed {
		r.t.Fatalf("%v failed by itself: %v\n%s", cmd.Args, err, out)
	}
	return killed
}

// firstImport kills gridmap import n of set into an empty data directory
// after delay and checks what a restart finds there: no version and nothing
// left, or the one version, which a server must make active and serve
// (whether or not the import lived to write the pointer).
func (r *crashRig) firstImport(n int, set string, delay, est time.Duration) bool {
	t := r.t
	data := t.TempDir()
	killed := r.killCmd(exec.Command(r.bin, importArgs(data, r.files[set], crashLayers, fmt.Sprintf("crash-%d-%s", n, set))...), delay)
	after := readDisk(t, data)
	phase := r.count(killFirstImport, after.phase(diskState{}), killed, delay)
	active := "none"
	if len(after.versions) == 0 {
		if _, err := store.OpenDir(data); err != nil {
			t.Fatal(err)
		}
		checkSwept(t, data)
	} else {
		srv := startServe(t, r.bin, data)
		defer srv.kill()
		checkSwept(t, data)
		active = checkStore(t, data, after.versions, after.versions, r.layers)
		checkServed(t, srv, active, crashLayers, crashTown, set == "B")
		checkVersionsCLI(t, r.bin, data, active)
	}
	t.Logf("kill %2d: %-28s set %s after %4d ms of ~%4d: %-32s active none → %s", n, killFirstImport, set, delay.Milliseconds(), est.Milliseconds(), phase, active)
	return killed
}

// count records a kill of kind k that hit phase, and returns the phase as
// logged.
func (r *crashRig) count(k crashKind, phase string, killed bool, delay time.Duration) string {
	if !killed {
		r.late[k]++
		return phase + " (late)"
	}
	r.phases[k][phase]++
	r.delays[k] = append(r.delays[k], delay)
	return phase
}

// killDuring sends an admin POST to the server and kills the server after
// delay. It reports whether the answer had not arrived by then; one that
// had must have status want.
func (r *crashRig) killDuring(path, contentType string, body []byte, want int, delay time.Duration) bool {
	type answer struct {
		code int
		err  error
	}
	done := make(chan answer, 1)
	go func() {
		code, err := r.srv.post(path, contentType, body)
		done <- answer{code, err}
	}()
	time.Sleep(delay)
	r.srv.kill()
	a := <-done
	if a.err == nil && a.code != want {
		r.t.Fatalf("POST %s: %d, want %d\n%s", path, a.code, want, r.srv.log)
	}
	return a.err != nil
}

// target picks a version to activate other than active, of the other set
// when there is one, so that the switch shows in the lookups.
func (r *crashRig) target(active string) string {
	var other, any []string
	for _, id := range slices.Sorted(maps.Keys(r.settled)) {
		if id == active {
			continue
		}
		any = append(any, id)
		if r.settled[id] != r.settled[active] {
			other = append(other, id)
		}
	}
	if len(other) > 0 {
		return other[r.rng.Intn(len(other))]
	}
	return any[r.rng.Intn(len(any))]
}
