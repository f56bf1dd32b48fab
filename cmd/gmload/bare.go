package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// serveBare serves the HTTP ceiling on addr: a net/http handler that parses
// lon and lat from the query, checks them, and writes a fixed JSON-typed
// answer of the size of --bare-body's content. It prints its address on the
// first line of stdout.
func serveBare(addr, bodyFile string, stdout io.Writer) error {
	size := 512
	if bodyFile != "" {
		b, err := os.ReadFile(bodyFile)
		if err != nil {
			return err
		}
		size = len(b)
	}
	body := bytes.Repeat([]byte("x"), size)
	if size > 0 {
		body[size-1] = '\n'
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, ln.Addr().String())
	srv := &http.Server{
		Handler:           bareHandler(body),
		ReadTimeout:       30 * time.Second,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	return srv.Serve(ln)
}

var (
	bareContentType = []string{"application/json; charset=utf-8"}
	bareVersion     = []string{"v1"}
)

func bareHandler(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			bareBatch(w, r)
			return
		}
		raw := r.URL.RawQuery
		lon, err1 := strconv.ParseFloat(queryValue(raw, "lon"), 64)
		lat, err2 := strconv.ParseFloat(queryValue(raw, "lat"), 64)
		if err1 != nil || err2 != nil || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			http.Error(w, `{"error":"bad lon/lat"}`, http.StatusBadRequest)
			return
		}
		h := w.Header()
		h["Content-Type"] = bareContentType
		h["X-Gridmap-Version"] = bareVersion
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	})
}

// queryValue returns the raw value of key in a query string, without
// allocating.
func queryValue(raw, key string) string {
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		k, v, _ := strings.Cut(kv, "=")
		if k == key {
			return v
		}
	}
	return ""
}

// bareBatch is the batch ceiling: it reads the body line by line, as
// gridmap's batch does, and answers each line (the CSV header too) with a
// fixed line of ?line= bytes, streamed like gridmap's answer.
func bareBatch(w http.ResponseWriter, r *http.Request) {
	size, err := strconv.Atoi(r.URL.Query().Get("line"))
	if err != nil || size < 1 {
		size = 64
	}
	line := bytes.Repeat([]byte("x"), size)
	line[size-1] = '\n'
	_ = http.NewResponseController(w).EnableFullDuplex()
	w.Header().Set("Content-Type", r.Header.Get("Content-Type"))
	w.WriteHeader(http.StatusOK)
	br := bufio.NewReaderSize(r.Body, 256<<10)
	bw := bufio.NewWriterSize(w, 256<<10)
	for {
		text, err := br.ReadSlice('\n')
		if len(bytes.TrimSpace(text)) > 0 {
			bw.Write(line)
		}
		if err != nil && err != bufio.ErrBufferFull {
			break
		}
	}
	bw.Flush()
}
