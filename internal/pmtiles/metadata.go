package pmtiles

import (
	"encoding/json"
	"fmt"
)

// Metadata returns meta as the archive's metadata: JSON, gzipped.
func Metadata(meta map[string]any) ([]byte, error) {
	b, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	gz, err := newCompressor().gzip(b)
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	return gz, nil
}
