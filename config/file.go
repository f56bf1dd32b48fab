package config

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// fileValue is one key = value of the configuration file.
type fileValue struct {
	name  string // "limits.rate"
	value any    // as go-toml decodes it: string, int64, float64, bool, []any, map…
	line  int
}

// readFile decodes the TOML file at path into its key/value pairs in the
// order of their lines. A syntax error names the file and line.
func readFile(path string) ([]fileValue, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return nil, fmt.Errorf("%s line %d: %w", path, row, err)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	lines := keyLines(data)
	var out []fileValue
	for name, v := range doc {
		sub, isTable := v.(map[string]any)
		if !isTable || !sections()[name] {
			out = append(out, fileValue{name, v, lines[name]})
			continue
		}
		for k, sv := range sub {
			full := name + "." + k
			out = append(out, fileValue{full, sv, lines[full]})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].line != out[j].line {
			return out[i].line < out[j].line
		}
		return out[i].name < out[j].name
	})
	return out, nil
}

// keyLines returns the line of each key and table header of a TOML
// document that go-toml has already decoded (so it parses), dotted keys
// joined as in the file: [limits] then rate = 5 is "limits.rate".
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	var p unstable.Parser
	p.Reset(data)
	table := ""
	for p.NextExpression() {
		n := p.Expression()
		switch n.Kind {
		case unstable.Table, unstable.ArrayTable:
			it := n.Key()
			table = joinKey(n.Key())
			lines[table] = p.Shape(it.Node().Raw).Start.Line
		case unstable.KeyValue:
			name := joinKey(n.Key())
			if table != "" {
				name = table + "." + name
			}
			lines[name] = p.Shape(n.Raw).Start.Line
		}
	}
	return lines
}

// joinKey joins the parts of a dotted key with dots.
func joinKey(it unstable.Iterator) string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return strings.Join(parts, ".")
}
