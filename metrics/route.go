package metrics

import (
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Route records the requests of one route. Its counters by status code are
// resolved on a code's first use and kept, so that Observe allocates
// nothing afterwards.
type Route struct {
	name    string
	vec     *prometheus.CounterVec
	latency prometheus.Observer
	// codes[c] is the counter of status c (100–599), once resolved; other
	// statuses share codes[0], labelled "other".
	codes [600]atomic.Pointer[counter]
}

// counter boxes a prometheus.Counter for an atomic pointer.
type counter struct{ prometheus.Counter }

// Route returns the recorder of the route named name (the name of the
// server's route table; "unmatched" for requests no route took). Call it
// once per route, when the routes are built.
func (s *Set) Route(name string) *Route {
	return &Route{name: name, vec: s.requests, latency: s.latency.WithLabelValues(name)}
}

// Observe records one answer of status code that took d.
func (r *Route) Observe(code int, d time.Duration) {
	if code < 100 || code >= len(r.codes) {
		code = 0
	}
	c := r.codes[code].Load()
	if c == nil {
		label := "other"
		if code != 0 {
			label = strconv.Itoa(code)
		}
		c = &counter{r.vec.WithLabelValues(r.name, label)}
		r.codes[code].Store(c) // a race stores the same child counter twice
	}
	c.Inc()
	r.latency.Observe(d.Seconds())
}
