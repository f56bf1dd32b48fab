// Command httpprof serves a gridmap data directory on loopback, like
// `gridmap serve`, with a CPU profile of the whole process written for the
// first --seconds after it starts: run gmload against it to see where the
// time of an HTTP lookup goes.
//
//	httpprof --data DIR --addr 127.0.0.1:18390 --seconds 20 --out cpu.prof
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
)

func main() {
	data := flag.String("data", "./gridmap-data", "data directory (with an active version)")
	addr := flag.String("addr", "127.0.0.1:18390", "loopback address")
	secs := flag.Int("seconds", 20, "length of the CPU profile")
	out := flag.String("out", "cpu.prof", "profile file")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := store.OpenDir(*data)
	if err != nil {
		log.Fatal(err)
	}
	cat, err := catalog.New(catalog.Options{Store: st})
	if err != nil {
		log.Fatal(err)
	}
	if err := cat.Start(ctx); err != nil {
		log.Fatal(err)
	}
	srv, err := server.New(ctx, server.Options{Versions: cat, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	var once sync.Once
	stopProfile := func() {
		once.Do(func() {
			pprof.StopCPUProfile()
			f.Close()
			fmt.Fprintln(os.Stderr, "httpprof: profile written to", *out)
		})
	}
	go func() {
		select {
		case <-time.After(time.Duration(*secs) * time.Second):
		case <-ctx.Done():
		}
		stopProfile()
	}()
	fmt.Printf("serving %s on http://%s/\n", srv.Version(), *addr)
	err = srv.ListenAndServe(ctx, *addr)
	stopProfile()
	if err != nil {
		log.Fatal(err)
	}
}
