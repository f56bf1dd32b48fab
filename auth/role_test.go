package auth_test

import (
	"errors"
	"testing"

	"github.com/gridmap/gridmap/auth"
)

func TestRoleCan(t *testing.T) {
	// read, import, admin, report, act, relocate
	type perms [6]bool
	tests := []struct {
		role Role
		want perms
	}{
		{auth.RoleAdmin, perms{true, true, true, true, true, true}},
		{auth.RoleImporter, perms{true, true, false, false, false, false}},
		{auth.RoleReader, perms{true, false, false, false, false, false}},
		{auth.RoleReporter, perms{true, false, false, true, false, false}},
		{auth.RoleDispatcher, perms{true, false, false, true, true, true}},
		{auth.RoleSupervisor, perms{true, false, false, true, true, false}},
		{auth.RoleGridWorker, perms{true, false, false, true, true, false}},
		{"root", perms{}},
		{"", perms{}},
	}
	all := []auth.Permission{auth.Read, auth.Import, auth.Admin, auth.Report, auth.Act, auth.Relocate}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			if tt.role.Can(0) || tt.role.Can(auth.Relocate+1) {
				t.Errorf("%s grants an unknown permission", tt.role)
			}
			for i, perm := range all {
				want := tt.want[i]
				if got := tt.role.Can(perm); got != want {
					t.Errorf("%s.Can(%s) = %v, want %v", tt.role, perm, got, want)
				}
			}
		})
	}
}

// Role is auth.Role, short for the tables.
type Role = auth.Role

func TestParseRole(t *testing.T) {
	for _, r := range auth.Roles {
		if got, err := auth.ParseRole(string(r)); got != r || err != nil {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, err)
		}
	}
	for _, s := range []string{"", "Admin", "admin ", "superuser", "grid-worker"} {
		if _, err := auth.ParseRole(s); !errors.Is(err, auth.ErrBadRole) {
			t.Errorf("ParseRole(%q): %v, want ErrBadRole", s, err)
		}
	}
}

func TestRolesFor(t *testing.T) {
	got := auth.RolesFor(auth.Import)
	if len(got) != 2 || got[0] != auth.RoleAdmin || got[1] != auth.RoleImporter {
		t.Errorf("RolesFor(Import) = %v, want [admin importer]", got)
	}
	if got := auth.RolesFor(auth.Read); len(got) != len(auth.Roles) {
		t.Errorf("RolesFor(Read) = %v, want every role", got)
	}
}
