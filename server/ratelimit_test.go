package server

import (
	"testing"
	"time"
)

// TestRateLimiterClients checks whom a rate counts: each API key has its
// own bucket wherever it calls from, anonymous callers one per address,
// and a key and an address never share one.
func TestRateLimiterClients(t *testing.T) {
	now := time.Unix(1e9, 0)
	for _, tc := range []struct {
		name  string
		calls []clientKey
		want  []bool
	}{
		{"one address", []clientKey{{addr: "10.0.0.1"}, {addr: "10.0.0.1"}, {addr: "10.0.0.1"}}, []bool{true, true, false}},
		{"two addresses", []clientKey{{addr: "10.0.0.1"}, {addr: "10.0.0.1"}, {addr: "10.0.0.2"}, {addr: "10.0.0.2"}}, []bool{true, true, true, true}},
		{"two keys, one address", []clientKey{{keyID: "k1"}, {keyID: "k1"}, {keyID: "k2"}, {keyID: "k1"}}, []bool{true, true, true, false}},
		{"a key and an address of its name", []clientKey{{keyID: "x"}, {keyID: "x"}, {addr: "x"}}, []bool{true, true, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rl := newRateLimiter(1, 2)
			for i, k := range tc.calls {
				ok, wait := rl.allow(k, now)
				if ok != tc.want[i] {
					t.Fatalf("call %d of %+v: allowed %v, want %v", i, k, ok, tc.want[i])
				}
				if !ok && (wait <= 0 || wait > time.Second) {
					t.Errorf("call %d: retry in %v, want (0, 1s]", i, wait)
				}
			}
			// a second later the bucket holds a token again
			if ok, _ := rl.allow(tc.calls[0], now.Add(time.Second)); !ok {
				t.Errorf("no token a second later")
			}
		})
	}
	if newRateLimiter(0, 5) != nil {
		t.Error("a rate of 0 is not off")
	}
}

// TestRateLimiterBounded calls from more addresses than the limiter keeps
// buckets for, and checks the buckets stay within their bound while a
// client in the middle of its burst keeps its count when the full ones go.
func TestRateLimiterBounded(t *testing.T) {
	now := time.Unix(1e9, 0)
	rl := newRateLimiter(1, 1)
	for i := 0; i < 3*maxClients; i++ {
		rl.allow(clientKey{addr: string(rune(i))}, now.Add(time.Duration(i)*time.Second))
		if n := rl.clients(); n > maxClients {
			t.Fatalf("%d buckets after %d addresses, bound %d", n, i+1, maxClients)
		}
	}
}
