package auth_test

import (
	"errors"
	"testing"

	"github.com/gridmap/gridmap/auth"
)

func TestRoleCan(t *testing.T) {
	tests := []struct {
		role                 Role
		read, imports, admin bool
	}{
		{auth.RoleAdmin, true, true, true},
		{auth.RoleImporter, true, true, false},
		{auth.RoleReader, true, false, false},
		{auth.RoleDispatcher, true, false, false},
		{auth.RoleSupervisor, true, false, false},
		{auth.RoleGridWorker, true, false, false},
		{"root", false, false, false},
		{"", false, false, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			for perm, want := range map[auth.Permission]bool{auth.Read: tt.read, auth.Import: tt.imports, auth.Admin: tt.admin} {
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
