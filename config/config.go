// Package config holds gridmap serve's configuration: one struct with its
// defaults (Default), its checks (Validate), and the layers that fill it, in
// order: the defaults, a TOML file, environment variables GRIDMAP_… and
// command-line flags (Load). Every value remembers where it came from, so
// that a bad value is refused naming its key and its source
// (`limits.rate: "fast" is not a number (from GRIDMAP_LIMITS_RATE)`) and the
// effective configuration prints with the source of each value
// (Config.WriteTOML), secrets masked.
//
// The keys, their environment variables and flags all derive from the
// struct's toml tags: key limits.rate is env GRIDMAP_LIMITS_RATE and flag
// --limits-rate; top-level key admin_addr is GRIDMAP_ADMIN_ADDR and
// --admin-addr. The package knows nothing of HTTP.
package config

import "time"

// Config is the configuration of gridmap serve. Default returns it with
// every default; the zero value is not a valid configuration.
type Config struct {
	Data string `toml:"data" help:"data directory"`
	// Store is where versions, incidents and staff live: empty for the
	// embedded store in Data, or a PostgreSQL URL (postgres://…) shared by
	// several replicas, each keeping its local files (published index and
	// tiles, uploads, keys) in Data. Its password is masked when printed.
	Store       string `toml:"store" mask:"password" help:"shared store: a PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DB); empty: the embedded store in the data directory"`
	Addr        string `toml:"addr" help:"address to listen on (HOST:PORT)"`
	AdminAddr   string `toml:"admin_addr" help:"second address for metrics and pprof (HOST:PORT; empty: none)"`
	PublicURL   string `toml:"public_url" help:"URL clients reach this server at behind a reverse proxy (tile URLs in tiles.json start with it); empty: from the request"`
	Basemap     string `toml:"basemap" help:"raster tile URL template ({z}/{x}/{y}) drawn under the grids; empty: none, nothing fetched from outside"`
	Attribution string `toml:"attribution" help:"credit of the data (source, licence; plain text) shown on the page and in tiles.json when the version served records none of its own"`
	// AdminToken is the bootstrap admin bearer token; a Secret, masked when
	// printed.
	AdminToken Secret `toml:"admin_token" help:"bootstrap bearer token of role admin (imports, activation, keys); empty: admin only with keys from gridmap keys"`

	Log    LogConfig    `toml:"log"`
	TLS    TLSConfig    `toml:"tls"`
	Auth   AuthConfig   `toml:"auth"`
	CORS   CORSConfig   `toml:"cors"`
	Tiles  TilesConfig  `toml:"tiles"`
	Limits LimitsConfig `toml:"limits"`
	Debug  DebugConfig  `toml:"debug"`

	Incidents IncidentsConfig `toml:"incidents"`
	Staff     StaffConfig     `toml:"staff"`

	// origins maps each key to where its value came from; nil for a
	// Config not made by Load.
	origins map[string]Source
	// file is the configuration file Load read, or "".
	file string
}

// LogConfig is the [log] section: the request and event log on stderr.
type LogConfig struct {
	Format string `toml:"format" help:"log format: text or json"`
	Level  string `toml:"level" help:"lowest level logged: debug, info, warn or error"`
}

// TLSConfig is the [tls] section: HTTPS on addr when both files are set.
type TLSConfig struct {
	CertFile string `toml:"cert_file" help:"PEM certificate chain for HTTPS (with tls.key_file); empty: plain HTTP"`
	KeyFile  string `toml:"key_file" help:"PEM private key of tls.cert_file"`
}

// AuthConfig is the [auth] section: API keys.
type AuthConfig struct {
	RequireKeys bool   `toml:"require_keys" help:"require an API key of any role for the read APIs (lookup, tiles, search…)"`
	KeysFile    string `toml:"keys_file" help:"file of API key hashes (gridmap keys); empty: DATA/keys.json"`
}

// CORSConfig is the [cors] section: which web origins may call the read APIs.
type CORSConfig struct {
	Origins []string `toml:"origins" help:"origins allowed to call the read APIs from a browser (comma-separated in env and flags); \"*\" any; never the import and admin routes"`
}

// TilesConfig is the [tiles] section: the tile cache.
type TilesConfig struct {
	CacheMB   int64 `toml:"cache_mb" flag:"tile-cache-mb" help:"memory cap of the tile cache in MiB (0 or less: no cache)"`
	MaxTileKB int   `toml:"max_tile_kb" flag:"max-tile-kb" help:"uncompressed tile size in kB above which a tile is reported"`
}

// LimitsConfig is the [limits] section: what one client may take of the
// server. Sizes are bytes, durations Go duration strings.
type LimitsConfig struct {
	MaxBodyBytes       Bytes         `toml:"max_body_bytes" help:"largest request body of a batch lookup, as sent"`
	MaxDecodedBytes    Bytes         `toml:"max_decoded_bytes" help:"largest batch body once decompressed (gzip)"`
	MaxBatchPoints     int           `toml:"max_batch_points" help:"most points in one batch lookup"`
	MaxUploadBytes     Bytes         `toml:"max_upload_bytes" help:"largest upload of one HTTP import"`
	MaxHeaderBytes     Bytes         `toml:"max_header_bytes" help:"largest request header"`
	ReadHeaderTimeout  time.Duration `toml:"read_header_timeout" help:"time a client has to send its request header"`
	ReadTimeout        time.Duration `toml:"read_timeout" help:"time a client has to send the body of a request that does not stream (batches and imports use body_idle_timeout)"`
	WriteTimeout       time.Duration `toml:"write_timeout" help:"time to write the answer of a request that does not stream"`
	IdleTimeout        time.Duration `toml:"idle_timeout" help:"how long a kept-alive connection may wait for its next request"`
	BodyIdleTimeout    time.Duration `toml:"body_idle_timeout" help:"how long a streamed body (batch, import) may send nothing before it is cut"`
	HeavyConcurrency   int           `toml:"heavy_concurrency" help:"most heavy requests (imports, batch lookups) at once; more get 503 with Retry-After"`
	Rate               float64       `toml:"rate" help:"requests per second per API key (per address without one); 0: no rate limit"`
	Burst              int           `toml:"burst" help:"requests a client may send at once above its rate"`
	ImportMaxFileBytes Bytes         `toml:"import_max_file_bytes" help:"largest source file of an import"`
	ImportMaxFeatures  int           `toml:"import_max_features" help:"most features in one layer of an import"`
	ImportMaxVertices  int           `toml:"import_max_vertices" help:"most vertices in one feature of an import"`
	ShutdownTimeout    time.Duration `toml:"shutdown_timeout" help:"how long SIGTERM waits for requests in flight before it cuts them"`
}

// DebugConfig is the [debug] section.
type DebugConfig struct {
	Pprof bool `toml:"pprof" help:"serve net/http/pprof on admin_addr (never on addr)"`
}

// Default returns the configuration used when nothing is set. Auth.KeysFile
// stays empty: Load resolves it to DATA/keys.json.
func Default() Config {
	return Config{
		Data: "./gridmap-data",
		Addr: "127.0.0.1:8080",
		Log:  LogConfig{Format: "text", Level: "info"},
		CORS: CORSConfig{Origins: []string{"*"}},
		// 256 MiB holds the tiles of a county's wall many times over
		Tiles: TilesConfig{CacheMB: 256, MaxTileKB: 500},
		Limits: LimitsConfig{
			// a 1 GiB plain body holds about 25 M CSV points: kept from
			// before issue 16
			MaxBodyBytes:       1 << 30,
			MaxDecodedBytes:    1 << 30,
			MaxBatchPoints:     2_000_000,
			MaxUploadBytes:     1 << 30,
			MaxHeaderBytes:     1 << 20,
			ReadHeaderTimeout:  10 * time.Second,
			ReadTimeout:        30 * time.Second,
			WriteTimeout:       time.Minute,
			IdleTimeout:        2 * time.Minute,
			BodyIdleTimeout:    30 * time.Second,
			HeavyConcurrency:   32,
			Burst:              100,
			ImportMaxFileBytes: 512 << 20,
			ImportMaxFeatures:  1_000_000,
			ImportMaxVertices:  20_000,
			// below docker stop's 10 s grace before SIGKILL
			ShutdownTimeout: 8 * time.Second,
		},
		Incidents: defaultIncidents(),
		Staff:     defaultStaff(),
	}
}

// Origin returns where the value of key (as in the file: "limits.rate")
// came from; the zero Source (default) when it was not set or c was not made
// by Load.
func (c *Config) Origin(key string) Source { return c.origins[key] }

// File returns the path of the configuration file Load read, or "".
func (c *Config) File() string { return c.file }
