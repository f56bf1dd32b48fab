package importer

import (
	"fmt"
	"os"
)

// Defaults of Limits.
const (
	// DefaultMaxFileBytes caps one source file: reading a GeoJSON holds
	// about four times its size in memory (a 1 GB file peaked at 3.8 GB).
	DefaultMaxFileBytes = 512 << 20
	// DefaultMaxFeatures caps the features of one layer, ten times a
	// province's finest layer.
	DefaultMaxFeatures = 1_000_000
	// DefaultMaxVertices caps the vertices of one feature. The snapshot of
	// a version (version.Build) takes time that grows faster than linearly
	// with the vertices of one polygon: measured on one wavy ring (a
	// loaded 2-core machine), 10,000 vertices 1.5 s, 25,000 2.0–5.6 s,
	// 50,000 and 100,000 about 20 s, while the largest feature of the shared
	// data (Jiangyin's county) has 1,923. 20,000 is ten times that, and
	// builds in a few seconds.
	DefaultMaxVertices = 20_000
)

// Config keys of the limits, as messages and Problem.Limit name them.
const (
	KeyMaxFileBytes = "limits.import_max_file_bytes"
	KeyMaxFeatures  = "limits.import_max_features"
	KeyMaxVertices  = "limits.import_max_vertices"
)

// KindLimit is a problem of a file, layer or feature past one of the
// Limits; Problem.Limit names the limit's config key.
const KindLimit = "limit_exceeded"

// Limits cap what an import takes, so that data too large to hold or to
// serve is refused while it is read, before the heavy work (geometry
// checks, topology, the index). Zero fields take the defaults; a negative
// field means no cap.
type Limits struct {
	// MaxFileBytes caps each source file (before any conversion).
	MaxFileBytes int64
	// MaxFeatures caps the features of one layer (of all its files).
	MaxFeatures int
	// MaxVertices caps the positions of one feature (all its rings).
	MaxVertices int
}

// withDefaults returns l with zero fields set to their defaults.
func (l Limits) withDefaults() Limits {
	if l.MaxFileBytes == 0 {
		l.MaxFileBytes = DefaultMaxFileBytes
	}
	if l.MaxFeatures == 0 {
		l.MaxFeatures = DefaultMaxFeatures
	}
	if l.MaxVertices == 0 {
		l.MaxVertices = DefaultMaxVertices
	}
	return l
}

// checkFileSize refuses src when its file is larger than the cap; it
// returns the problem, or nil when the file may be read (or cannot be
// stat'ed: opening it reports that).
func checkFileSize(src Source, l Limits) *Problem {
	fi, err := os.Stat(src.Path)
	if err != nil || l.MaxFileBytes < 0 || fi.Size() <= l.MaxFileBytes {
		return nil
	}
	return &Problem{Kind: KindLimit, Severity: SeverityError, File: src.Path, Layer: src.Layer, Limit: KeyMaxFileBytes,
		Message: fmt.Sprintf("%s (layer %s): %d bytes, more than the %d a file may hold (%s); split the file or raise the limit",
			src.Path, src.Layer, fi.Size(), l.MaxFileBytes, KeyMaxFileBytes)}
}

// tooManyFeatures is the problem of the feature past the cap of its layer.
func tooManyFeatures(fd *fileData, index int, l Limits) Problem {
	return Problem{Kind: KindLimit, Feature: index, Limit: KeyMaxFeatures,
		Message: fmt.Sprintf("%s: layer %s has more than %d features (%s); reading stopped here",
			where(fd.src.Path, index, ""), fd.src.Layer, l.MaxFeatures, KeyMaxFeatures)}
}

// tooManyVertices is the problem of a feature of n positions, past the cap.
func tooManyVertices(fd *fileData, f *feature, n int, l Limits) Problem {
	return Problem{Kind: KindLimit, Feature: f.index, Code: f.code, Limit: KeyMaxVertices,
		Message: fmt.Sprintf("%s (layer %s): %d vertices, more than the %d one feature may have (%s); simplify it or raise the limit",
			where(fd.src.Path, f.index, f.code), fd.src.Layer, n, l.MaxVertices, KeyMaxVertices)}
}

// positions counts the positions of polygons.
func positions(polys [][][][]float64) int {
	n := 0
	for _, p := range polys {
		for _, r := range p {
			n += len(r)
		}
	}
	return n
}

// checkLayerFeatures reports each layer whose files hold together more
// features than the cap (each file alone was checked as it was read).
func (s *state) checkLayerFeatures() {
	if s.opts.Limits.MaxFeatures < 0 {
		return
	}
	count := map[string]int{}
	for _, fd := range s.files {
		count[fd.src.Layer] += len(fd.features)
	}
	for _, fd := range s.files {
		layer := fd.src.Layer
		if n := count[layer]; n > s.opts.Limits.MaxFeatures {
			s.rep.add(Problem{Kind: KindLimit, Severity: SeverityError, Layer: layer, Limit: KeyMaxFeatures,
				Message: fmt.Sprintf("layer %s: its files hold %d features, more than the %d a layer may have (%s)",
					layer, n, s.opts.Limits.MaxFeatures, KeyMaxFeatures)})
			count[layer] = 0 // once per layer
		}
	}
}
