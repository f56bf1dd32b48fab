package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/auth"
)

// TestKeysCommand: gridmap keys add prints a token that authenticates with
// its role, list shows the keys without tokens or hashes, revoke (by name
// or id) ends a token; mistakes exit 2 (usage) or 1 with a message.
func TestKeysCommand(t *testing.T) {
	data := t.TempDir()
	add := func(name, role string) string {
		t.Helper()
		code, out, errs := gm(t, "", "keys", "add", "--data", data, "--name", name, "--role", role)
		if code != 0 || !strings.Contains(errs, name) || !strings.Contains(errs, "shown this once") {
			t.Fatalf("keys add %s: exit %d\n%s%s", name, code, out, errs)
		}
		return strings.TrimSpace(out)
	}
	reader, admin := add("hotline", "reader"), add("ops", "admin")
	keys, err := auth.Open(filepath.Join(data, auth.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for tok, role := range map[string]auth.Role{reader: auth.RoleReader, admin: auth.RoleAdmin} {
		if p, err := keys.Authenticate(tok); err != nil || p.Role != role {
			t.Errorf("token of role %s: %+v, %v", role, p, err)
		}
	}
	list, err := keys.List()
	if err != nil || len(list) != 2 {
		t.Fatalf("list %+v, %v", list, err)
	}
	code, out, _ := gm(t, "", "keys", "list", "--data", data)
	if code != 0 || !strings.Contains(out, "hotline") || !strings.Contains(out, "ops") || !strings.Contains(out, list[0].ID) {
		t.Errorf("keys list: exit %d\n%s", code, out)
	}
	for _, secret := range []string{reader, admin, list[0].Hash[len("sha256:"):], "sha256"} {
		if strings.Contains(out, secret) {
			t.Errorf("keys list shows %q:\n%s", secret, out)
		}
	}
	tests := []struct {
		args []string
		code int
		want string // in stdout or stderr
	}{
		{[]string{"revoke", "hotline"}, 0, "revoked"},
		{[]string{"revoke", list[1].ID}, 0, "revoked"},
		{[]string{"revoke", "hotline"}, 1, "already revoked"},
		{[]string{"revoke", "nobody"}, 1, "no such key"},
		{[]string{"revoke"}, 2, "ID|NAME"},
		{[]string{"add", "--name", "x", "--role", "root"}, 2, "unknown role"},
		{[]string{"add", "--role", "reader"}, 2, "--name"},
		{[]string{"add", "--name", "has space"}, 2, "bad key name"},
		{[]string{"list", "extra"}, 2, "no arguments"},
		{[]string{"rotate"}, 2, "unknown keys command"},
		{nil, 2, "add, list or revoke"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			args := append([]string{"keys"}, tt.args...)
			if len(tt.args) > 0 {
				args = append(args, "--data", data)
			}
			code, out, errs := gm(t, "", args...)
			if code != tt.code || !strings.Contains(out+errs, tt.want) {
				t.Errorf("exit %d, want %d with %q:\n%s%s", code, tt.code, tt.want, out, errs)
			}
		})
	}
	for _, tok := range []string{reader, admin} {
		if _, err := keys.Authenticate(tok); err == nil {
			keys.Reload()
			if _, err := keys.Authenticate(tok); err == nil {
				t.Errorf("a revoked token still authenticates")
			}
		}
	}
	code, out, _ = gm(t, "", "keys", "list", "--data", data)
	if code != 0 || strings.Count(out, "\n") != 3 || strings.Contains(out, " -\n") {
		t.Errorf("keys list after revoking both: exit %d\n%s", code, out)
	}
}

// TestKeysCommandConfig: without --data and --keys-file, gridmap keys
// writes the keys file the configuration names (auth.keys_file, else
// DATA/keys.json of its data), the one `gridmap serve --config` reads.
func TestKeysCommandConfig(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	keysAt := filepath.Join(dir, "elsewhere.json")
	tests := []struct {
		name, toml, want string
	}{
		{"data", "data = " + strconv.Quote(data) + "\n", filepath.Join(data, auth.FileName)},
		{"keys_file", "data = " + strconv.Quote(data) + "\n[auth]\nkeys_file = " + strconv.Quote(keysAt) + "\n", keysAt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := filepath.Join(dir, tc.name+".toml")
			if err := os.WriteFile(cfg, []byte(tc.toml), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errs := gm(t, "", "keys", "add", "--config", cfg, "--name", "ops-"+tc.name, "--role", "admin")
			if code != 0 {
				t.Fatalf("keys add: exit %d\n%s%s", code, out, errs)
			}
			keys, err := auth.Open(tc.want)
			if err != nil {
				t.Fatal(err)
			}
			if p, err := keys.Authenticate(strings.TrimSpace(out)); err != nil || p.Role != auth.RoleAdmin {
				t.Errorf("token not in %s: %+v, %v", tc.want, p, err)
			}
		})
	}
}
