package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// buildInfo is what the binary knows of its own build.
type buildInfo struct {
	Version   string // module version, "(devel)" for a build of a work tree
	Commit    string // VCS revision, "" when built without VCS stamping
	Time      string // commit time (RFC 3339), or ""
	Modified  bool   // the work tree had changes
	GoVersion string
}

// readBuildInfo reads the module version and VCS stamp of the running
// binary (runtime/debug.ReadBuildInfo).
func readBuildInfo() buildInfo {
	b := buildInfo{Version: "(unknown)", GoVersion: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	b.Version = bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// String writes "gridmap (devel) commit 1a2b3c4d5e6f (2026-05-01T10:00:00Z, modified) go1.26.8".
func (b buildInfo) String() string {
	commit := "commit unknown"
	if b.Commit != "" {
		commit = "commit " + b.Commit
		if len(b.Commit) > 12 {
			commit = "commit " + b.Commit[:12]
		}
		switch {
		case b.Time != "" && b.Modified:
			commit += " (" + b.Time + ", modified)"
		case b.Time != "":
			commit += " (" + b.Time + ")"
		case b.Modified:
			commit += " (modified)"
		}
	}
	return fmt.Sprintf("gridmap %s %s %s", b.Version, commit, b.GoVersion)
}

// runVersion prints the build: gridmap version, gridmap --version.
func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("version", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gridmap version (or gridmap --version)\nPrints the module version, VCS commit and Go version of this build.")
	}
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, readBuildInfo())
	return nil
}
