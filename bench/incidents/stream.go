package main

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// wall is one SSE client of /api/v1/stream, as the wall page is: it
// records the id of every incident event it receives and reconnects with
// Last-Event-ID when the stream ends.
type wall struct {
	base, token string
	mu          sync.Mutex
	seen        []uint64 // bitset of incident ids
	events      atomic.Int64
	reconnects  atomic.Int64
	lastID      string
}

// run reads the stream until ctx ends.
func (w *wall) run(ctx context.Context, client *http.Client) {
	for ctx.Err() == nil {
		w.read(ctx, client)
		if ctx.Err() == nil {
			w.reconnects.Add(1)
			time.Sleep(100 * time.Millisecond)
		}
	}
}

func (w *wall) read(ctx context.Context, client *http.Client) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, w.base+"/api/v1/stream", nil)
	if err != nil {
		return
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+w.token)
	if w.lastID != "" {
		req.Header.Set("Last-Event-ID", w.lastID)
	}
	resp, err := client.Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return
	}
	r := bufio.NewReaderSize(resp.Body, 64<<10)
	var event []byte
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return
		}
		line = bytes.TrimRight(line, "\r\n")
		switch {
		case bytes.HasPrefix(line, []byte("event:")):
			event = append(event[:0], bytes.TrimSpace(line[6:])...)
		case bytes.HasPrefix(line, []byte("id:")):
			w.lastID = string(bytes.TrimSpace(line[3:]))
		case bytes.HasPrefix(line, []byte("data:")) && string(event) == "incident":
			if id, ok := incidentID(line[5:]); ok {
				w.mark(id)
			}
		case len(line) == 0:
			w.events.Add(1)
			event = event[:0]
		}
	}
}

// incidentKey starts the incident's id in an incident event's data:
// {"id":SEQ,"kind":"incident","incident":{"id":ID,...}}.
var incidentKey = []byte(`"incident":{"id":`)

// incidentID finds the incident's id in an event's data without decoding
// the whole of it (fifty clients at 2,000 events a second).
func incidentID(data []byte) (uint64, bool) {
	i := bytes.Index(data, incidentKey)
	if i < 0 {
		return 0, false
	}
	data = data[i+len(incidentKey):]
	j := 0
	for j < len(data) && data[j] >= '0' && data[j] <= '9' {
		j++
	}
	id, err := strconv.ParseUint(string(data[:j]), 10, 64)
	return id, err == nil
}

func (w *wall) mark(id uint64) {
	w.mu.Lock()
	for uint64(len(w.seen))*64 <= id {
		w.seen = append(w.seen, 0)
	}
	w.seen[id/64] |= 1 << (id % 64)
	w.mu.Unlock()
}

// missing counts the ids of ids this client has not received.
func (w *wall) missing(ids []uint64) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, id := range ids {
		if id/64 >= uint64(len(w.seen)) || w.seen[id/64]&(1<<(id%64)) == 0 {
			n++
		}
	}
	return n
}

// walls is the set of connected wall clients.
type walls []*wall

// waitAll waits until every client has received every incident of ids, or
// until limit passes, and returns how many clients miss some and how many
// events they miss in all.
func (ws walls) waitAll(ids []uint64, limit time.Duration) (clients, events int) {
	deadline := time.Now().Add(limit)
	for {
		clients, events = 0, 0
		for _, w := range ws {
			if m := w.missing(ids); m > 0 {
				clients++
				events += m
			}
		}
		if clients == 0 || time.Now().After(deadline) {
			return clients, events
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (ws walls) reconnects() int64 {
	var n int64
	for _, w := range ws {
		n += w.reconnects.Load()
	}
	return n
}
