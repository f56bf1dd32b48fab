package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/gridmap/gridmap/config"
)

// runHealthcheck asks a running gridmap serve for GET /healthz and exits 0
// when it answers 200, 1 otherwise: the Docker HEALTHCHECK of an image
// without a shell. The address and TLS come from the same configuration as
// serve's (--config / $GRIDMAP_CONFIG, then GRIDMAP_ADDR…), or --addr.
func runHealthcheck(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("healthcheck", stderr)
	addr := fs.String("addr", "", "address of the server (HOST:PORT; default the configuration's addr, an unspecified host as loopback)")
	file := fs.String("config", "", "TOML configuration file (default $GRIDMAP_CONFIG)")
	timeout := fs.Duration("timeout", 5*time.Second, "how long to wait for the answer")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gridmap healthcheck [--addr HOST:PORT] [--config FILE]\nExits 0 when the server's GET /healthz answers 200, else 1.")
		fs.PrintDefaults()
	}
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if *file == "" {
		*file = os.Getenv("GRIDMAP_CONFIG")
	}
	cfg, err := config.Load(config.Input{File: *file, Environ: os.Environ()})
	if err != nil {
		return configError(err)
	}
	if *addr == "" {
		*addr = cfg.Addr
	}
	url, err := healthURL(*addr, cfg.TLS.CertFile != "")
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: *timeout, Transport: &http.Transport{
		// a probe of this host's own server, which it sends nothing
		// secret: its certificate names the public host, not loopback
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}}
	resp, err := client.Get(url)
	if err != nil {
		return fmt.Errorf("unhealthy: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: %s answered %s: %s", url, resp.Status, body)
	}
	fmt.Fprintf(stdout, "healthy: %s\n", body)
	return nil
}

// healthURL returns the /healthz URL of a server listening on addr; an
// unspecified host (":8080", "0.0.0.0:8080", "[::]:8080") is reached on
// loopback.
func healthURL(addr string, https bool) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("%w: --addr %q is not HOST:PORT", errUsage, addr)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	scheme := "http"
	if https {
		scheme = "https"
	}
	return scheme + "://" + net.JoinHostPort(host, port) + "/healthz", nil
}
