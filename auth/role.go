// Package auth holds gridmap's roles and API keys: the keys file (tokens
// stored only as SHA-256 hashes, each key with an id, a name and a role),
// its atomic updates by several processes at once, and the check of a
// presented token. It knows nothing of HTTP: the server maps its routes to
// a Permission and asks a Principal's Role whether it may.
package auth

import (
	"fmt"
	"strings"
)

// Role is what a key may do.
type Role string

// The roles. Admin may do everything, importer may import and read, reader
// may read (the lookup, tile and search APIs when the operator requires
// keys). The incident roles: reporter (an intake system: the 12345
// hotline, 110, sensors) may report incidents and read; dispatcher,
// supervisor and grid worker may also report and act on incidents (the
// incident flow then checks which step by which role); a dispatcher may
// relocate incidents.
const (
	RoleAdmin      Role = "admin"
	RoleImporter   Role = "importer"
	RoleReader     Role = "reader"
	RoleDispatcher Role = "dispatcher"
	RoleSupervisor Role = "supervisor"
	RoleGridWorker Role = "grid_worker"
	RoleReporter   Role = "reporter"
)

// Roles lists every valid role, strongest first.
var Roles = []Role{RoleAdmin, RoleImporter, RoleReader, RoleDispatcher, RoleSupervisor, RoleGridWorker, RoleReporter}

// Permission is a kind of operation a route needs.
type Permission uint8

// The permissions, each granted to the roles of Role.Can.
const (
	// Read: the read APIs (lookups, tiles, search, versions, events).
	Read Permission = iota + 1
	// Import: publishing a new version from files.
	Import
	// Admin: activating versions and everything else.
	Admin
	// Report: reporting a new incident (POST /api/v1/incidents).
	Report
	// Act: taking a step on an incident (the incident flow then checks
	// the step against the role).
	Act
	// Relocate: locating incidents again in the version served.
	Relocate
)

// String returns the permission's name ("read", "import", "admin").
func (p Permission) String() string {
	switch p {
	case Read:
		return "read"
	case Import:
		return "import"
	case Admin:
		return "admin"
	case Report:
		return "report"
	case Act:
		return "act"
	case Relocate:
		return "relocate"
	}
	return fmt.Sprintf("Permission(%d)", uint8(p))
}

// Can reports whether r grants p. An unknown role grants nothing.
func (r Role) Can(p Permission) bool {
	switch r {
	case RoleAdmin:
		return p >= Read && p <= Relocate
	case RoleImporter:
		return p == Read || p == Import
	case RoleReader:
		return p == Read
	case RoleReporter:
		return p == Read || p == Report
	case RoleDispatcher:
		return p == Read || p == Report || p == Act || p == Relocate
	case RoleSupervisor, RoleGridWorker:
		return p == Read || p == Report || p == Act
	}
	return false
}

// RolesFor lists the roles that grant p, strongest first.
func RolesFor(p Permission) []Role {
	var rs []Role
	for _, r := range Roles {
		if r.Can(p) {
			rs = append(rs, r)
		}
	}
	return rs
}

// ParseRole returns the role named s, or an error listing the valid ones.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return "", fmt.Errorf("%w %q: want one of %s", ErrBadRole, s, strings.Join(names, ", "))
}
