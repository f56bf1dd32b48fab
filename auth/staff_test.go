package auth_test

import (
	"errors"
	"testing"

	"github.com/gridmap/gridmap/auth"
)

// TestAddStaff: a key made for a person carries its staff id through the
// keys file into the Principal; a bad staff id is refused and adds nothing.
func TestAddStaff(t *testing.T) {
	k, path := openTemp(t)
	tok, key, err := k.AddStaff("phone-wang", auth.RoleGridWorker, "S0001")
	if err != nil {
		t.Fatal(err)
	}
	if key.Staff != "S0001" {
		t.Errorf("key.Staff = %q", key.Staff)
	}
	other, err := auth.Open(path) // another process reads the file
	if err != nil {
		t.Fatal(err)
	}
	p, err := other.Authenticate(tok)
	if err != nil || p.Staff != "S0001" || p.Role != auth.RoleGridWorker {
		t.Fatalf("Authenticate = %+v, %v", p, err)
	}
	plain, _ := mustAdd(t, k, "hotline", auth.RoleReporter)
	if p, err := k.Authenticate(plain); err != nil || p.Staff != "" {
		t.Errorf("a key without staff: %+v, %v", p, err)
	}
	for _, bad := range []string{" S1", "S 1", "-S1", string(make([]byte, 65))} {
		if _, _, err := k.AddStaff("x", auth.RoleGridWorker, bad); !errors.Is(err, auth.ErrBadStaff) {
			t.Errorf("AddStaff(staff %q): %v, want ErrBadStaff", bad, err)
		}
	}
	if keys, _ := k.List(); len(keys) != 2 {
		t.Errorf("%d keys after refused adds, want 2", len(keys))
	}
}
