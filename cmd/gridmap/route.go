package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gridmap/gridmap/router"
)

// shardFlags collects --shard NAME=URL, in order.
type shardFlags []router.Target

func (s *shardFlags) String() string { return fmt.Sprint(len(*s), " shards") }

func (s *shardFlags) Set(v string) error {
	name, raw, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("want NAME=URL, got %q", v)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("shard %s: want an http(s) URL, got %q", name, raw)
	}
	for _, t := range *s {
		if t.Name == name {
			return fmt.Errorf("shard %s named twice", name)
		}
	}
	*s = append(*s, router.Target{Name: name, URL: u})
	return nil
}

// runRoute serves the shard router (package router) in front of shards
// given as --shard NAME=URL, until SIGTERM or Ctrl-C.
func runRoute(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("route", stderr)
	var shards shardFlags
	fs.Var(&shards, "shard", "a shard, NAME=URL (its load balancer's base URL); repeat for each shard")
	addr := fs.String("addr", "127.0.0.1:8090", "address to listen on (HOST:PORT)")
	maxBatch := fs.Int64("max-batch-bytes", 256<<20, "largest batch body the router buffers")
	wait := fs.Duration("wait", time.Minute, "how long to wait at start for every shard's outline")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gridmap route --shard NAME=URL [--shard NAME=URL…] [--addr HOST:PORT]\n"+
			"Forwards lookups (single and batch) and tiles to the shard whose outline holds the point (docs/scaling.md).")
		fs.PrintDefaults()
	}
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if len(shards) == 0 {
		return fmt.Errorf("%w: name at least one --shard NAME=URL", errUsage)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := startRouter(ctx, shards, router.Options{MaxBatchBytes: *maxBatch}, *wait)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", *addr, err)
	}
	fmt.Fprintf(stdout, "routing %d shards on http://%s\n", len(shards), ln.Addr())
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(sctx) //nolint:errcheck // the process ends
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// startRouter makes the router, retrying while a shard is not yet up, for
// at most wait.
func startRouter(ctx context.Context, shards []router.Target, o router.Options, wait time.Duration) (*router.Router, error) {
	deadline := time.Now().Add(wait)
	for {
		r, err := router.New(ctx, shards, o)
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			return r, err
		}
		time.Sleep(500 * time.Millisecond)
	}
}

var _ flag.Value = (*shardFlags)(nil)
