package auth_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridmap/gridmap/auth"
)

var tokenPattern = regexp.MustCompile(`^gm_[A-Za-z0-9_-]{43}$`)

func openTemp(t *testing.T) (*auth.Keys, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "keys.json")
	k, err := auth.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return k, path
}

func mustAdd(t *testing.T, k *auth.Keys, name string, role auth.Role) (string, auth.Key) {
	t.Helper()
	tok, key, err := k.Add(name, role)
	if err != nil {
		t.Fatal(err)
	}
	return tok, key
}

// TestAddAuthenticate: a key's token authenticates as its name and role,
// is of the documented form, and is stored only as its hash, in a file of
// mode 0600.
func TestAddAuthenticate(t *testing.T) {
	k, path := openTemp(t)
	tok, key := mustAdd(t, k, "hotline-12345", auth.RoleReader)
	if !tokenPattern.MatchString(tok) {
		t.Errorf("token %q, want gm_ and 43 base64url characters", tok)
	}
	p, err := k.Authenticate(tok)
	if err != nil || p.KeyID != key.ID || p.Name != "hotline-12345" || p.Role != auth.RoleReader {
		t.Fatalf("Authenticate = %+v, %v", p, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), tok) || strings.Contains(string(b), strings.TrimPrefix(tok, "gm_")) {
		t.Errorf("the keys file holds the token:\n%s", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("keys file mode %v, want 0600", fi.Mode().Perm())
	}
	for _, bad := range []string{"", tok[:len(tok)-1], tok + "x", strings.ToUpper(tok), " " + tok, strings.Repeat("a", 300)} {
		if p, err := k.Authenticate(bad); !errors.Is(err, auth.ErrInvalidToken) || p != nil {
			t.Errorf("Authenticate(%q) = %+v, %v, want ErrInvalidToken", bad, p, err)
		}
	}
	tok2, _ := mustAdd(t, k, "wall", auth.RoleAdmin)
	if tok2 == tok {
		t.Fatal("two keys got one token")
	}
	if p, err := k.Authenticate(tok2); err != nil || p.Name != "wall" {
		t.Errorf("second key: %+v, %v", p, err)
	}
}

func TestAddRefused(t *testing.T) {
	k, _ := openTemp(t)
	mustAdd(t, k, "app", auth.RoleReader)
	tests := []struct {
		name string
		role auth.Role
		want error
	}{
		{"", auth.RoleReader, auth.ErrBadName},
		{"has space", auth.RoleReader, auth.ErrBadName},
		{"line\nbreak", auth.RoleReader, auth.ErrBadName},
		{"-dash-first", auth.RoleReader, auth.ErrBadName},
		{"deadbeef", auth.RoleReader, auth.ErrBadName}, // an id's shape
		{strings.Repeat("n", 65), auth.RoleReader, auth.ErrBadName},
		{"ok", "root", auth.ErrBadRole},
		{"app", auth.RoleAdmin, auth.ErrNameTaken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := k.Add(tt.name, tt.role); !errors.Is(err, tt.want) {
				t.Errorf("Add(%q, %q): %v, want %v", tt.name, tt.role, err, tt.want)
			}
		})
	}
	for _, good := range []string{"12345热线", "app.v2", "ops@center", strings.Repeat("n", 64), "deadbeef0"} {
		if _, _, err := k.Add(good, auth.RoleReader); err != nil {
			t.Errorf("Add(%q): %v", good, err)
		}
	}
	if list, _ := k.List(); len(list) != 6 {
		t.Errorf("%d keys after the refusals, want 6", len(list))
	}
}

// TestRevoke: by id and by name; the token stops working at once, the key
// stays listed with its revoked time, and its name is free again.
func TestRevoke(t *testing.T) {
	k, _ := openTemp(t)
	tokA, a := mustAdd(t, k, "a", auth.RoleReader)
	tokB, _ := mustAdd(t, k, "b", auth.RoleImporter)
	tests := []struct {
		arg  string
		want error
		dead string // the token that must fail after
	}{
		{a.ID, nil, tokA},
		{a.ID, auth.ErrRevoked, ""},
		{"a", auth.ErrRevoked, ""},
		{"b", nil, tokB},
		{"nobody", auth.ErrNotFound, ""},
		{"0000000f", auth.ErrNotFound, ""},
	}
	for _, tt := range tests {
		key, err := k.Revoke(tt.arg)
		if !errors.Is(err, tt.want) {
			t.Errorf("Revoke(%q): %v, want %v", tt.arg, err, tt.want)
		}
		if err == nil && key.Active() {
			t.Errorf("Revoke(%q) returned %+v, not revoked", tt.arg, key)
		}
		if tt.dead != "" {
			if _, err := k.Authenticate(tt.dead); !errors.Is(err, auth.ErrInvalidToken) {
				t.Errorf("after Revoke(%q) its token: %v", tt.arg, err)
			}
		}
	}
	list, err := k.List()
	if err != nil || len(list) != 2 || list[0].Active() || list[1].Active() {
		t.Fatalf("List = %+v, %v", list, err)
	}
	tok, _ := mustAdd(t, k, "a", auth.RoleReader) // the name is free again
	if p, err := k.Authenticate(tok); err != nil || p.Name != "a" {
		t.Errorf("new key a: %+v, %v", p, err)
	}
	if _, err := k.Revoke("a"); err != nil {
		t.Errorf("revoke the new a: %v", err)
	}
}

// TestOtherHandleSeen: a change through another Keys of the same file (as
// gridmap keys makes it) is seen by the first at its next look at the
// file, and not before.
func TestOtherHandleSeen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	// the timer of the next look is far off: the test makes it due
	server, err := auth.OpenWith(path, auth.Options{CheckEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	server.Authenticate("warm")
	cli, err := auth.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := mustAdd(t, cli, "app", auth.RoleReader)
	if _, err := server.Authenticate(tok); err == nil {
		t.Error("a key added elsewhere is seen before the next look")
	}
	auth.MakeDue(server)
	if p, err := server.Authenticate(tok); err != nil || p.Name != "app" {
		t.Fatalf("at the next look: %+v, %v", p, err)
	}
	if _, err := cli.Revoke("app"); err != nil {
		t.Fatal(err)
	}
	if _, err := server.Authenticate(tok); err != nil {
		t.Errorf("revoked elsewhere, seen before the next look: %v", err)
	}
	auth.MakeDue(server)
	if _, err := server.Authenticate(tok); !errors.Is(err, auth.ErrInvalidToken) {
		t.Errorf("revoked elsewhere, at the next look: %v", err)
	}
}

// TestLookTimer: with a short CheckEvery, a key added elsewhere is seen
// by the timer alone (the wait is a deadline for a loaded machine).
func TestLookTimer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	server, err := auth.OpenWith(path, auth.Options{CheckEvery: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	cli, _ := auth.Open(path)
	tok, _ := mustAdd(t, cli, "app", auth.RoleReader)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := server.Authenticate(tok); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a key added elsewhere never seen")
		}
	}
}

// TestBadFileKeepsKeys: a keys file broken by hand is refused at Open; a
// running Keys keeps the keys it had and reports the error.
func TestBadFileKeepsKeys(t *testing.T) {
	k, path := openTemp(t)
	tok, _ := mustAdd(t, k, "app", auth.RoleReader)
	var reported atomic.Int32
	srv, err := auth.OpenWith(path, auth.Options{CheckEvery: -1, OnReloadError: func(error) { reported.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(`{"format":1,"keys":[{"id":"x"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.Open(path); !errors.Is(err, auth.ErrBadFile) {
		t.Errorf("Open of a bad file: %v, want ErrBadFile", err)
	}
	if err := srv.Reload(); !errors.Is(err, auth.ErrBadFile) {
		t.Errorf("Reload of a bad file: %v, want ErrBadFile", err)
	}
	if _, err := srv.Authenticate(tok); err != nil {
		t.Errorf("the key read before: %v", err)
	}
	if _, _, err := k.Add("other", auth.RoleReader); !errors.Is(err, auth.ErrBadFile) {
		t.Errorf("Add to a bad file: %v, want ErrBadFile (never overwrite it)", err)
	}
}

// TestBootstrap: the bootstrap admin token is role admin beside the file's
// keys, and HasAdmin says whether any admin credential exists.
func TestBootstrap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	tests := []struct {
		name      string
		admin     string
		addRole   auth.Role
		wantAdmin bool
	}{
		{"nothing", "", "", false},
		{"reader key only", "", auth.RoleReader, false},
		{"admin key", "", auth.RoleAdmin, true},
		{"bootstrap token", "s3cret-bootstrap", "", true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := path + string(rune('a'+i))
			if tt.addRole != "" {
				cli, _ := auth.Open(p)
				mustAdd(t, cli, "k", tt.addRole)
			}
			k, err := auth.OpenWith(p, auth.Options{AdminToken: tt.admin})
			if err != nil {
				t.Fatal(err)
			}
			if got := k.HasAdmin(); got != tt.wantAdmin {
				t.Errorf("HasAdmin = %v, want %v", got, tt.wantAdmin)
			}
			pr, err := k.Authenticate("s3cret-bootstrap")
			if tt.admin == "" {
				if err == nil {
					t.Errorf("no bootstrap token, yet %+v", pr)
				}
				return
			}
			if err != nil || pr.Role != auth.RoleAdmin || pr.Name != auth.BootstrapID {
				t.Errorf("bootstrap: %+v, %v", pr, err)
			}
		})
	}
	k, err := auth.OpenWith("", auth.Options{AdminToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := k.Add("x", auth.RoleReader); !errors.Is(err, auth.ErrNoFile) {
		t.Errorf("Add without a file: %v, want ErrNoFile", err)
	}
}

// TestAuthenticateAllocs: checking a token allocates nothing, known or not.
func TestAuthenticateAllocs(t *testing.T) {
	k, _ := openTemp(t)
	tok, _ := mustAdd(t, k, "app", auth.RoleReader)
	for _, tk := range []string{tok, "gm_unknown"} {
		if n := testing.AllocsPerRun(1000, func() { k.Authenticate(tk) }); n != 0 {
			t.Errorf("Authenticate(%.6s…): %v allocations", tk, n)
		}
	}
}

// BenchmarkAuthenticate checks a token against a file of 20 keys.
func BenchmarkAuthenticate(b *testing.B) {
	path := filepath.Join(b.TempDir(), "keys.json")
	k, err := auth.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	var tok string
	for i := 0; i < 20; i++ {
		tok, _, _ = k.Add("app"+string(rune('a'+i)), auth.RoleReader)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Authenticate(tok); err != nil {
			b.Fatal(err)
		}
	}
}
