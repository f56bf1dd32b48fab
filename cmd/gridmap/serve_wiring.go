package main

import (
	"log/slog"

	"github.com/gridmap/gridmap/config"
	"github.com/gridmap/gridmap/server"
)

// serverOptions maps the configuration to the server's options.
func serverOptions(cfg *config.Config, versions server.Versions, logger *slog.Logger) server.Options {
	o := server.Options{
		Versions:    versions,
		Logger:      logger,
		Pprof:       cfg.Debug.Pprof,
		BuildInfo:   buildMetricInfo(),
		Basemap:     cfg.Basemap,
		Attribution: cfg.Attribution,
		CORS:        corsOpts(cfg),
		Auth:        authOpts(cfg),
		Tiles:       server.TileOptions{PublicURL: cfg.PublicURL},
		Limits:      limitOpts(cfg.Limits),
	}
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

// limitOpts maps the [limits] keys, each to the field of its name.
func limitOpts(l config.LimitsConfig) server.LimitOptions {
	return server.LimitOptions{
		MaxBodyBytes: int64(l.MaxBodyBytes), MaxDecodedBytes: int64(l.MaxDecodedBytes),
		MaxUploadBytes: int64(l.MaxUploadBytes), MaxHeaderBytes: int(l.MaxHeaderBytes),
		MaxBatchPoints:    l.MaxBatchPoints,
		ReadHeaderTimeout: l.ReadHeaderTimeout, ReadTimeout: l.ReadTimeout, WriteTimeout: l.WriteTimeout,
		IdleTimeout: l.IdleTimeout, BodyIdleTimeout: l.BodyIdleTimeout, ShutdownTimeout: l.ShutdownTimeout,
		HeavyConcurrency: l.HeavyConcurrency, Rate: l.Rate, Burst: l.Burst,
		ImportMaxFileBytes: int64(l.ImportMaxFileBytes), ImportMaxFeatures: l.ImportMaxFeatures,
		ImportMaxVertices: l.ImportMaxVertices,
	}
}

// setLimits gives a running server the [limits] of a reloaded
// configuration and reports whether they were applied (a value the server
// refuses is logged by the caller as needing a restart).
func setLimits(srv *server.Server, l config.LimitsConfig) bool {
	return srv.SetLimits(limitOpts(l)) == nil
}

// buildMetricInfo is this build's version and commit for the
// gridmap_build_info metric.
func buildMetricInfo() server.BuildInfo {
	b := readBuildInfo()
	return server.BuildInfo{Version: b.Version, Commit: b.Commit}
}
