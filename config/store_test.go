package config_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/config"
)

// TestStoreMasked: the store URL's password never prints, neither in the
// effective configuration nor in the changes of a reload; a store that is
// not a PostgreSQL URL is refused without showing it.
func TestStoreMasked(t *testing.T) {
	load := func(store string) *config.Config {
		t.Helper()
		c, err := config.Load(config.Input{Environ: []string{"GRIDMAP_STORE=" + store}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a := load("postgres://gm:Pw-one@db:5432/gridmap")
	var b bytes.Buffer
	if err := a.WriteTOML(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "Pw-one") || !strings.Contains(b.String(), `store = "postgres://gm:********@db:5432/gridmap"  # from GRIDMAP_STORE`) {
		t.Errorf("printed configuration:\n%s", b.String())
	}
	changes := config.Changes(a, load("postgres://gm:Pw-two@db:5432/gridmap"))
	if len(changes) != 1 || strings.Contains(changes[0].String(), "Pw-") || !strings.Contains(changes[0].String(), "(new)") {
		t.Errorf("changes of the password: %v", changes)
	}
	_, err := config.Load(config.Input{Environ: []string{"GRIDMAP_STORE=mysql://gm:Pw-three@db/gridmap"}})
	var ce []*config.Error
	if errors.As(err, new(*config.Error)) {
		ce = config.Errors(err)
	}
	if len(ce) != 1 || ce[0].Key != "store" || strings.Contains(err.Error(), "Pw-three") {
		t.Errorf("a MySQL URL: %v", err)
	}
}
