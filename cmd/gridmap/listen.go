package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gridmap/gridmap/config"
	"github.com/gridmap/gridmap/server"
)

// certs holds the TLS certificate served, replaced when SIGHUP reloads it.
type certs struct {
	files config.TLSConfig
	cert  atomic.Pointer[tls.Certificate]
}

// loadCerts reads the certificate and key of [tls], or returns nil when
// TLS is off.
func loadCerts(tc config.TLSConfig) (*certs, error) {
	if tc.CertFile == "" {
		return nil, nil
	}
	c := &certs{files: tc}
	return c, c.reload()
}

// reload reads the files again; on error the certificate served stays.
func (c *certs) reload() error {
	cert, err := tls.LoadX509KeyPair(c.files.CertFile, c.files.KeyFile)
	if err != nil {
		return fmt.Errorf("tls.cert_file %s, tls.key_file %s: %w", c.files.CertFile, c.files.KeyFile, err)
	}
	c.cert.Store(&cert)
	return nil
}

// config returns a TLS configuration serving the current certificate.
func (c *certs) config() *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			return c.cert.Load(), nil
		},
	}
}

// listen listens on addr and returns the plain TCP listener and the URL
// scheme: https when c is not nil (the server puts TLS on the listener,
// over its own connection wrapper: server.Options.TLS).
func listen(addr string, c *certs) (net.Listener, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("listen %s: %w", addr, err)
	}
	if c == nil {
		return ln, "http", nil
	}
	return ln, "https", nil
}

// adminHandler is what part observe adds to the server: metrics, and pprof
// when enabled, for the admin address only.
type adminHandler interface{ AdminHandler() http.Handler }

// serveAdmin serves the server's admin handler on admin_addr until ctx
// ends. A server without one (before part observe) answers 404 there.
func serveAdmin(ctx context.Context, cfg *config.Config, srv *server.Server, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", cfg.AdminAddr)
	if err != nil {
		return fmt.Errorf("admin_addr: listen %s: %w", cfg.AdminAddr, err)
	}
	var h http.Handler = http.NotFoundHandler()
	if a, ok := any(srv).(adminHandler); ok {
		h = a.AdminHandler()
	}
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cfg.Limits.ReadHeaderTimeout,
		ReadTimeout:       cfg.Limits.ReadTimeout,
		// a CPU profile takes 30 s by default
		WriteTimeout:   cfg.Limits.WriteTimeout + time.Minute,
		IdleTimeout:    cfg.Limits.IdleTimeout,
		MaxHeaderBytes: int(cfg.Limits.MaxHeaderBytes),
		ErrorLog:       slog.NewLogLogger(logger.Handler(), slog.LevelError),
	}
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	go func() {
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			logger.Error("admin address stopped", "addr", cfg.AdminAddr, "err", err)
		}
	}()
	logger.Info("admin address", "addr", ln.Addr().String(), "pprof", cfg.Debug.Pprof)
	return nil
}
