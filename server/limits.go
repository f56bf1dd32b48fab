package server

import (
	"errors"
	"fmt"
	"syscall"
	"time"
)

// LimitOptions are the sizes, timeouts, caps and rates that keep one slow,
// huge or endless client from taking the service down for the others. Each
// field is the config key named in its comment ([limits] section); zero
// takes the default documented on it. Server.SetLimits changes the rates
// and caps of a running server; the sizes of imports and bodies apply to the
// requests that start after it, the timeouts of connections at the next
// Serve.
type LimitOptions struct {
	// MaxBodyBytes (max_body_bytes) caps the body of a batch lookup as
	// sent. Default 1 GiB.
	MaxBodyBytes int64
	// MaxDecodedBytes (max_decoded_bytes) caps a gzip batch body once
	// decompressed. Default 1 GiB.
	MaxDecodedBytes int64
	// MaxBatchPoints (max_batch_points) caps the points of one batch
	// lookup. Default 2,000,000: twice the batches docs/performance.md
	// measures, about 2 s of one core and 200 MB of answer.
	MaxBatchPoints int
	// MaxUploadBytes (max_upload_bytes) caps the body of an import (all its
	// files). Default 1 GiB.
	MaxUploadBytes int64
	// MaxHeaderBytes (max_header_bytes) caps a request's header. Default
	// 1 MiB.
	MaxHeaderBytes int

	// ReadHeaderTimeout (read_header_timeout) is how long a client may take
	// to send a request's header. Default 10 s.
	ReadHeaderTimeout time.Duration
	// ReadTimeout (read_timeout) is how long a request of a route that does
	// not stream may take to be read whole. Default 30 s.
	ReadTimeout time.Duration
	// WriteTimeout (write_timeout) is how long the answer of a route that
	// does not stream may take, from the end of its header. Default 60 s.
	WriteTimeout time.Duration
	// IdleTimeout (idle_timeout) is how long a kept-alive connection may
	// wait for its next request. Default 120 s.
	IdleTimeout time.Duration
	// BodyIdleTimeout (body_idle_timeout) cuts the body of a streaming
	// route (batch lookups, imports) that sends nothing for this long; such
	// bodies have no deadline for the whole. Default 30 s.
	BodyIdleTimeout time.Duration

	// HeavyConcurrency (heavy_concurrency) caps the heavy requests (imports
	// and batch lookups) served at once; one more is answered 503 with
	// Retry-After at once, not queued. Default 32.
	HeavyConcurrency int
	// Rate (rate) is the requests per second each API key, or each remote
	// address of an anonymous caller, may make to the APIs (not health
	// probes, the page or its static files); past it, 429 with
	// Retry-After. Default 0: no rate limit.
	Rate float64
	// Burst (burst) is how many requests over Rate a client may make at
	// once. Default: Rate rounded up, at least 1.
	Burst int

	// ImportMaxFileBytes (import_max_file_bytes) caps each file of an
	// import. Default 512 MiB.
	ImportMaxFileBytes int64
	// ImportMaxFeatures (import_max_features) caps the features of one
	// layer of an import. Default 1,000,000.
	ImportMaxFeatures int
	// ImportMaxVertices (import_max_vertices) caps the vertices of one
	// feature of an import. Default the importer's (importer.Limits).
	ImportMaxVertices int

	// ShutdownTimeout (shutdown_timeout) is how long Serve waits for the
	// requests in flight when its context ends. Default 10 s.
	ShutdownTimeout time.Duration
}

// Config keys of the limits, as the problem documents name them in their
// "limit" member.
const (
	keyMaxBodyBytes     = "limits.max_body_bytes"
	keyMaxDecodedBytes  = "limits.max_decoded_bytes"
	keyMaxBatchPoints   = "limits.max_batch_points"
	keyMaxUploadBytes   = "limits.max_upload_bytes"
	keyBodyIdleTimeout  = "limits.body_idle_timeout"
	keyHeavyConcurrency = "limits.heavy_concurrency"
	keyRate             = "limits.rate"
)

// withDefaults returns o with zero fields set to their defaults.
func (o LimitOptions) withDefaults() LimitOptions {
	def := func(v *int64, d int64) {
		if *v == 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.MaxBodyBytes, 1<<30)
	def(&o.MaxDecodedBytes, 1<<30)
	defInt(&o.MaxBatchPoints, 2_000_000)
	def(&o.MaxUploadBytes, 1<<30)
	defInt(&o.MaxHeaderBytes, 1<<20)
	defDur(&o.ReadHeaderTimeout, 10*time.Second)
	defDur(&o.ReadTimeout, 30*time.Second)
	defDur(&o.WriteTimeout, 60*time.Second)
	defDur(&o.IdleTimeout, 120*time.Second)
	defDur(&o.BodyIdleTimeout, 30*time.Second)
	defInt(&o.HeavyConcurrency, 32)
	if o.Burst == 0 && o.Rate > 0 {
		o.Burst = max(1, int(o.Rate+0.999999))
	}
	def(&o.ImportMaxFileBytes, 512<<20)
	defInt(&o.ImportMaxFeatures, 1_000_000)
	defDur(&o.ShutdownTimeout, 8*time.Second) // below the 10 s docker stop gives before SIGKILL
	return o
}

// Validate reports a limit that cannot be used, naming its config key.
func (o LimitOptions) Validate() error {
	for _, f := range []struct {
		key string
		v   int64
	}{
		{"max_body_bytes", o.MaxBodyBytes}, {"max_decoded_bytes", o.MaxDecodedBytes},
		{"max_batch_points", int64(o.MaxBatchPoints)}, {"max_upload_bytes", o.MaxUploadBytes},
		{"max_header_bytes", int64(o.MaxHeaderBytes)},
		{"read_header_timeout", int64(o.ReadHeaderTimeout)}, {"read_timeout", int64(o.ReadTimeout)},
		{"write_timeout", int64(o.WriteTimeout)}, {"idle_timeout", int64(o.IdleTimeout)},
		{"body_idle_timeout", int64(o.BodyIdleTimeout)}, {"heavy_concurrency", int64(o.HeavyConcurrency)},
		{"burst", int64(o.Burst)}, {"import_max_file_bytes", o.ImportMaxFileBytes},
		{"import_max_features", int64(o.ImportMaxFeatures)}, {"import_max_vertices", int64(o.ImportMaxVertices)},
		{"shutdown_timeout", int64(o.ShutdownTimeout)},
	} {
		if f.v < 0 {
			return fmt.Errorf("limits.%s: %d is negative", f.key, f.v)
		}
	}
	if !(o.Rate >= 0) || o.Rate > 1e9 {
		return fmt.Errorf("limits.rate: %g requests/s is out of range 0 (off) to 1e9", o.Rate)
	}
	return nil
}

// limits returns the limits in force.
func (s *Server) limits() *LimitOptions { return s.lim.Load() }

// SetLimits applies new limits to the running server (SIGHUP): the cap on
// heavy requests and the rates at once (each client's rate starts afresh
// when the rate or burst changes), the sizes to the requests that start
// after it. The connection timeouts and MaxHeaderBytes keep the values the
// listener was started with. Zero fields take their defaults.
func (s *Server) SetLimits(o LimitOptions) error {
	if err := o.Validate(); err != nil {
		return err
	}
	o = o.withDefaults()
	old := s.lim.Swap(&o)
	if old == nil || old.Rate != o.Rate || old.Burst != o.Burst {
		s.rates.Store(newRateLimiter(o.Rate, o.Burst))
	}
	return nil
}

// noSpace reports whether err is a disk (ENOSPC) or quota (EDQUOT) that is
// full.
func noSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// syscallText is the system's words for the errno within err ("no space
// left on device"), without the paths around it.
func syscallText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	return "no space left"
}
