package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/gridmap/gridmap/config"
	"github.com/gridmap/gridmap/server"
)

// keyReloader is what part auth adds to the server: read the API keys file
// again.
type keyReloader interface{ ReloadKeys() error }

// reloader applies a configuration read again on SIGHUP to a running
// server.
type reloader struct {
	flags serveFlags
	cfg   *config.Config // the configuration last read
	srv   *server.Server
	level *slog.LevelVar
	certs *certs // nil without TLS
	log   *slog.Logger
}

// reloadOnHangup catches SIGHUP from now on (before it returns, so that
// a SIGHUP sent once serving is logged never kills the process) and
// reloads on every one, on a goroutine of its own, until ctx ends.
func reloadOnHangup(ctx context.Context, r reloader) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				r.reload()
			}
		}
	}()
}

// reload reads the configuration again (file, environment, flags) and
// applies what can change at run time: the log level, the limits, the API
// keys file and the TLS certificate files. Other changed keys are logged as
// needing a restart. A configuration with a bad value is refused whole,
// logged with its key and source, and the server goes on as it was.
func (r *reloader) reload() {
	next, err := r.flags.load()
	if err != nil {
		r.log.Error("reload refused: the configuration stays as it was", "err", err.Error())
		return
	}
	// SetLimits takes every limit; it reports whether the server applies
	// limits at run time (serve_wiring.go)
	limits := setLimits(r.srv, next.Limits)
	var changed, restart []string
	for _, ch := range config.Changes(r.cfg, next) {
		changed = append(changed, ch.String())
		if ch.Key != "log.level" && !(limits && strings.HasPrefix(ch.Key, "limits.")) {
			restart = append(restart, ch.Key)
		}
	}
	reread := r.reloadFiles()
	if len(changed) == 0 {
		changed = append(changed, "none")
	}
	// logged before a new level applies, so that the line is not lost
	r.log.Info("configuration reloaded", "file", next.File(), "changed", strings.Join(changed, "; "),
		"reread", strings.Join(reread, ", "), "needs_restart", strings.Join(restart, ", "))
	r.level.Set(logLevel(next.Log.Level))
	r.cfg = next
}

// reloadFiles reads the API keys and the TLS certificate again, and
// returns what it read.
func (r *reloader) reloadFiles() []string {
	var done []string
	if kr, ok := any(r.srv).(keyReloader); ok {
		if err := kr.ReloadKeys(); err != nil {
			r.log.Error("reload of the API keys failed: the keys stay as they were", "file", r.cfg.Auth.KeysFile, "err", err.Error())
		} else {
			done = append(done, "auth.keys_file")
		}
	}
	if r.certs != nil {
		if err := r.certs.reload(); err != nil {
			r.log.Error("reload of the TLS certificate failed: the certificate stays as it was", "err", err.Error())
		} else {
			done = append(done, "tls.cert_file")
		}
	}
	return done
}
