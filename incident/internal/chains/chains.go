// Package chains decodes the grid chains the incident stores keep as JSON,
// sharing each decoded chain between the incidents that have it: the
// incidents of one grid have the same chain, so a scan of a year decodes
// each chain once and holds one slice of it.
package chains

import (
	"encoding/json"
	"fmt"

	"github.com/gridmap/gridmap/incident"
)

// Cache maps a stored chain's bytes to its decoded links. The shared
// slices must not be changed.
type Cache map[string][]incident.Link

// Decode decodes stored chain b, through c when c is not nil.
func (c Cache) Decode(b []byte) ([]incident.Link, error) {
	if links, ok := c[string(b)]; ok {
		return links, nil
	}
	var links []incident.Link
	if err := json.Unmarshal(b, &links); err != nil {
		return nil, fmt.Errorf("stored chain: %w", err)
	}
	if c != nil {
		c[string(b)] = links
	}
	return links, nil
}
