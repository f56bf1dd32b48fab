package config

import "github.com/gridmap/gridmap/internal/dsn"

// Change is a key whose value differs between two configurations.
type Change struct {
	Key      string
	From, To string // as in the environment and flags; secrets masked
}

// String writes "limits.rate: 0 → 5"; an empty value as "".
func (ch Change) String() string { return ch.Key + ": " + orEmpty(ch.From) + " → " + orEmpty(ch.To) }

func orEmpty(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// Changes lists the keys whose values differ from a to b, in the order of
// Config's fields. A secret's values are masked: its change shows, not the
// values.
func Changes(a, b *Config) []Change {
	var out []Change
	for _, k := range keys() {
		from, to := k.text(a), k.text(b)
		if from == to {
			continue
		}
		if k.secret() || k.maskURL {
			from, to = k.masked(from), k.masked(to)
			if from == to {
				from, to = from+" (old)", to+" (new)"
			}
		}
		out = append(out, Change{Key: k.name, From: from, To: to})
	}
	return out
}

// masked is the value s of k as it may be shown: a secret masked whole, a
// URL's password masked.
func (k key) masked(s string) string {
	if k.maskURL {
		return dsn.Mask(s)
	}
	return Secret(s).String()
}
