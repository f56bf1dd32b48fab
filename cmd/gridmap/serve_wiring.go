package main

import (
	"log/slog"
	"time"

	"github.com/gridmap/gridmap/config"
	"github.com/gridmap/gridmap/server"
)

// serverOptions maps the configuration to the server's options.
//
// The other parts of issue 16 add option structs to server.Options
// (contract.md): Auth, Limits, CORS, Logger, Metrics, BuildInfo. Those not
// in server.Options yet are mapped below onto copies of their contract
// shape (authOptions, limitOptions, corsOptions); when a part is merged,
// its copy goes and its line here names the server's field.
func serverOptions(cfg *config.Config, versions server.Versions, logger *slog.Logger) server.Options {
	o := server.Options{
		Versions:        versions,
		Logger:          logger,
		Pprof:           cfg.Debug.Pprof,
		BuildInfo:       buildMetricInfo(),
		Basemap:         cfg.Basemap,
		Attribution:     cfg.Attribution,
		CORS:            corsOpts(cfg),
		Auth:            authOpts(cfg),
		Tiles:           server.TileOptions{PublicURL: cfg.PublicURL},
		MaxBodyBytes:    int64(cfg.Limits.MaxBodyBytes),
		ShutdownTimeout: cfg.Limits.ShutdownTimeout,
	}
	// Integrator, as the parts land (in each copy's function, write the
	// server's type instead of the copy's and delete the copy):
	//   o.Limits = limitOpts(cfg.Limits)    (limits; MaxBodyBytes and ShutdownTimeout move into it)
	return o
}

// authOpts maps the admin token and the [auth] keys.
func authOpts(cfg *config.Config) server.AuthOptions {
	return server.AuthOptions{AdminToken: string(cfg.AdminToken), KeysFile: cfg.Auth.KeysFile, RequireKeys: cfg.Auth.RequireKeys}
}

// corsOpts maps the [cors] keys.
func corsOpts(cfg *config.Config) server.CORSOptions {
	return server.CORSOptions{Origins: cfg.CORS.Origins}
}

// limitOptions is the shape of server.LimitOptions (contract.md, part
// limits): the [limits] keys, sizes in bytes.
type limitOptions struct {
	MaxBodyBytes, MaxDecodedBytes, MaxUploadBytes, MaxHeaderBytes int64
	MaxBatchPoints                                                int
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout     time.Duration
	BodyIdleTimeout, ShutdownTimeout                              time.Duration
	HeavyConcurrency                                              int
	Rate                                                          float64
	Burst                                                         int
	ImportMaxFileBytes                                            int64
	ImportMaxFeatures, ImportMaxVertices                          int
}

func limitOpts(l config.LimitsConfig) limitOptions {
	return limitOptions{
		MaxBodyBytes: int64(l.MaxBodyBytes), MaxDecodedBytes: int64(l.MaxDecodedBytes),
		MaxUploadBytes: int64(l.MaxUploadBytes), MaxHeaderBytes: int64(l.MaxHeaderBytes),
		MaxBatchPoints:    l.MaxBatchPoints,
		ReadHeaderTimeout: l.ReadHeaderTimeout, ReadTimeout: l.ReadTimeout, WriteTimeout: l.WriteTimeout,
		IdleTimeout: l.IdleTimeout, BodyIdleTimeout: l.BodyIdleTimeout, ShutdownTimeout: l.ShutdownTimeout,
		HeavyConcurrency: l.HeavyConcurrency, Rate: l.Rate, Burst: l.Burst,
		ImportMaxFileBytes: int64(l.ImportMaxFileBytes), ImportMaxFeatures: l.ImportMaxFeatures,
		ImportMaxVertices: l.ImportMaxVertices,
	}
}

// setLimits gives a running server the [limits] of a reloaded
// configuration. Part limits adds (*server.Server).SetLimits(LimitOptions);
// integrator: replace the body with srv.SetLimits(limitOpts(l)); return
// true. It reports whether the limits were applied.
func setLimits(srv *server.Server, l config.LimitsConfig) bool {
	_ = limitOpts(l)
	return false
}

// buildMetricInfo is this build's version and commit for the
// gridmap_build_info metric.
func buildMetricInfo() server.BuildInfo {
	b := readBuildInfo()
	return server.BuildInfo{Version: b.Version, Commit: b.Commit}
}
