package server

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxClients bounds the token buckets a rateLimiter keeps: past it, the
// buckets that are full again (whose clients have been idle long enough to
// be as good as new) are dropped, and if that is not enough, half of the
// rest. 65,536 buckets are about 10 MB.
const maxClients = 1 << 16

// clientKey names whom a rate applies to: an API key, or the remote address
// of an anonymous caller. Being a struct of strings, it is a map key that
// needs no allocation to build.
type clientKey struct {
	keyID string // the API key's id; "" for an anonymous caller
	addr  string // the remote address (IP) of an anonymous caller
}

// rateLimiter holds one token bucket (golang.org/x/time/rate) per client.
// A nil *rateLimiter lets everything through: rates are off.
type rateLimiter struct {
	limit rate.Limit
	burst int
	mu    sync.Mutex
	m     map[clientKey]*rate.Limiter
}

// newRateLimiter returns the limiter of perSecond requests per second, in
// bursts of burst; nil when perSecond is 0 (off).
func newRateLimiter(perSecond float64, burst int) *rateLimiter {
	if perSecond <= 0 {
		return nil
	}
	return &rateLimiter{limit: rate.Limit(perSecond), burst: max(burst, 1), m: map[clientKey]*rate.Limiter{}}
}

// allow takes a token of k's bucket at now. When there is none it returns
// false and how long until there is one.
func (rl *rateLimiter) allow(k clientKey, now time.Time) (bool, time.Duration) {
	if rl == nil {
		return true, 0
	}
	rl.mu.Lock()
	defer rl.mu.Unlock()
	l := rl.m[k]
	if l == nil {
		if len(rl.m) >= maxClients {
			rl.evict(now)
		}
		l = rate.NewLimiter(rl.limit, rl.burst)
		rl.m[k] = l
	}
	if l.AllowN(now, 1) {
		return true, 0
	}
	missing := 1 - l.TokensAt(now)
	return false, time.Duration(math.Ceil(missing / float64(rl.limit) * float64(time.Second)))
}

// evict drops the buckets that are full at now, then, if the map is still
// at its bound, every other one. Called with mu held.
func (rl *rateLimiter) evict(now time.Time) {
	for k, l := range rl.m {
		if l.TokensAt(now) >= float64(rl.burst) {
			delete(rl.m, k)
		}
	}
	if len(rl.m) < maxClients {
		return
	}
	drop := true
	for k := range rl.m {
		if drop {
			delete(rl.m, k)
		}
		drop = !drop
	}
}

// clients returns how many buckets rl holds.
func (rl *rateLimiter) clients() int {
	if rl == nil {
		return 0
	}
	rl.mu.Lock()
	defer rl.mu.Unlock()
	return len(rl.m)
}
