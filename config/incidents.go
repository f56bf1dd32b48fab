package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridmap/gridmap/staff"
)

// IncidentsConfig is the [incidents] section: how incidents are located
// and when they are overdue.
type IncidentsConfig struct {
	NearestM   float64       `toml:"nearest_m" help:"an incident outside every grid goes to the nearest grid within this many metres; 0: never (a 422 outside)"`
	Deadline   time.Duration `toml:"deadline" help:"time from report to handled for the categories not in incidents.deadlines; 0: no deadline"`
	Deadlines  []string      `toml:"deadlines" help:"per-category deadlines, CATEGORY=DURATION (\"市容环境=24h\"; comma-separated in env and flags)"`
	SweepEvery time.Duration `toml:"sweep_every" help:"how often incidents past their deadline are marked overdue and escalated"`
}

// StaffConfig is the [staff] section: the role names of the place's
// roster (Jiangyin's 1+1+3, Nanchang's 1+4+X+N).
type StaffConfig struct {
	Roles       []string `toml:"roles" help:"role names a staff roster may use, highest rank first (comma-separated in env and flags)"`
	Responsible []string `toml:"responsible" help:"roles responsible for a grid's incidents, in the order dispatch tries them; each one of staff.roles"`
}

// defaultIncidents and defaultStaff are the sections' defaults.
func defaultIncidents() IncidentsConfig {
	return IncidentsConfig{NearestM: 200, Deadline: 72 * time.Hour, Deadlines: []string{}, SweepEvery: 30 * time.Second}
}

func defaultStaff() StaffConfig {
	return StaffConfig{Roles: slices.Clone(staff.DefaultRoles.Names), Responsible: slices.Clone(staff.DefaultRoles.Responsible)}
}

// ByCategory returns incidents.deadlines as a map; Validate has checked
// them (an entry that does not parse is left out).
func (c IncidentsConfig) ByCategory() map[string]time.Duration {
	m := make(map[string]time.Duration, len(c.Deadlines))
	for _, d := range c.Deadlines {
		if cat, dur, err := parseDeadline(d); err == nil {
			m[cat] = dur
		}
	}
	return m
}

// StaffRoles returns the [staff] section as the roster's roles.
func (c StaffConfig) StaffRoles() staff.Roles {
	return staff.Roles{Names: slices.Clone(c.Roles), Responsible: slices.Clone(c.Responsible)}
}

// parseDeadline reads one CATEGORY=DURATION entry.
func parseDeadline(s string) (string, time.Duration, error) {
	cat, dur, ok := strings.Cut(s, "=")
	cat = strings.TrimSpace(cat)
	if !ok || cat == "" {
		return "", 0, fmt.Errorf("%q is not CATEGORY=DURATION (such as \"市容环境=24h\")", s)
	}
	d, err := time.ParseDuration(strings.TrimSpace(dur))
	if err != nil || d <= 0 {
		return "", 0, fmt.Errorf("%q: %q is not a positive duration (such as 24h or 90m)", s, strings.TrimSpace(dur))
	}
	return cat, d, nil
}

// validate checks the [incidents] section.
func (c *IncidentsConfig) validate(bad func(key, format string, args ...any)) {
	if !(c.NearestM >= 0 && c.NearestM <= 100000) {
		bad("incidents.nearest_m", "must be from 0 to 100000 metres")
	}
	if c.Deadline < 0 {
		bad("incidents.deadline", "must not be negative (0: no deadline)")
	}
	seen := map[string]bool{}
	for _, d := range c.Deadlines {
		cat, _, err := parseDeadline(d)
		if err != nil {
			bad("incidents.deadlines", "%v", err)
			continue
		}
		if seen[cat] {
			bad("incidents.deadlines", "category %q given twice", cat)
		}
		seen[cat] = true
	}
	if c.SweepEvery < time.Second {
		bad("incidents.sweep_every", "must be at least 1s")
	}
}

// validate checks the [staff] section.
func (c *StaffConfig) validate(bad func(key, format string, args ...any)) {
	if len(c.Roles) == 0 {
		bad("staff.roles", "must name at least one role")
	}
	seen := map[string]bool{}
	for _, r := range c.Roles {
		if strings.TrimSpace(r) == "" || strings.ContainsAny(r, ",\n") {
			bad("staff.roles", "%q is not a role name", r)
		}
		if seen[r] {
			bad("staff.roles", "%q given twice", r)
		}
		seen[r] = true
	}
	if len(c.Responsible) == 0 {
		bad("staff.responsible", "must name at least one role: dispatch needs someone responsible")
	}
	for _, r := range c.Responsible {
		if !seen[r] {
			bad("staff.responsible", "%q is not one of staff.roles (%s)", r, strings.Join(c.Roles, ", "))
		}
	}
}
