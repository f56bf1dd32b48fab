package server

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// limit applies, in this order, the per-client rate (429 rate_limited), a
// heavy request's body size when its Content-Length says it (413
// too_large, declared.go), the cap on concurrent heavy requests (503
// overloaded; 429 and 503 with Retry-After, never queueing), and the
// deadlines of streaming routes (see liftDeadlines). Health probes, the page and its static files (accessOpen)
// are never rate limited. With rates off, an anonymous single lookup passes
// through without an allocation.
func (s *Server) limit(r route, next echo.HandlerFunc) echo.HandlerFunc {
	rated := r.access != accessOpen
	stream := streams(r)
	return func(c echo.Context) error {
		if rated {
			if rl := s.rates.Load(); rl != nil {
				if ok, wait := rl.allow(clientOf(c), time.Now()); !ok {
					return tooMany(c, wait, rl)
				}
			}
		}
		if r.heavy {
			lim := s.limits()
			if max, key := bodyLimit(r, lim); max > 0 && c.Request().ContentLength > max {
				return declaredTooLarge(c, max, key)
			}
			max := int64(lim.HeavyConcurrency)
			if s.heavy.Add(1) > max {
				s.heavy.Add(-1)
				return overloaded(c, max)
			}
			defer s.heavy.Add(-1)
		}
		if stream {
			s.liftDeadlines(c)
		}
		return next(c)
	}
}

// clientOf returns whom a request's rate is counted against: its API key
// when authorize found one, else its remote address (the connection's, not
// a header a client could forge).
func clientOf(c echo.Context) clientKey {
	if id := principalID(c); id != "" {
		return clientKey{keyID: id}
	}
	addr := c.Request().RemoteAddr
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	return clientKey{addr: addr}
}

// tooMany answers a client over its rate: 429 and when to come back.
func tooMany(c echo.Context, wait time.Duration, rl *rateLimiter) error {
	secs := retryAfter(c, wait)
	return &Error{Status: http.StatusTooManyRequests, Code: "rate_limited", Limit: keyRate,
		Message: fmt.Sprintf("more than %g requests/s (bursts of %d) from this client (%s); retry in %d s", float64(rl.limit), rl.burst, keyRate, secs)}
}

// overloaded answers a heavy request over the cap: 503, retry in a second.
func overloaded(c echo.Context, max int64) error {
	retryAfter(c, time.Second)
	return &Error{Status: http.StatusServiceUnavailable, Code: "overloaded", Limit: keyHeavyConcurrency,
		Message: fmt.Sprintf("the server is serving its %d heavy requests (imports, batch lookups) at once (%s); retry in 1 s", max, keyHeavyConcurrency)}
}

// retryAfter sets the Retry-After header to wait in whole seconds, at
// least 1, and returns them.
func retryAfter(c echo.Context, wait time.Duration) int {
	secs := max(1, int((wait+time.Second-1)/time.Second))
	c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	return secs
}
