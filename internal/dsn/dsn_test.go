package dsn_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/internal/dsn"
)

func TestRedact(t *testing.T) {
	for _, c := range []struct {
		name, dsn, in, want string
		secret              string // must not survive
	}{
		{"url", "postgres://gm:s3cret@db:5432/gridmap", "open postgres://gm:s3cret@db:5432/gridmap: refused",
			"open postgres://gm:********@db:5432/gridmap: refused", "s3cret"},
		{"alone", "postgres://gm:s3cret@db/gridmap", "auth failed for password s3cret", "auth failed for password ********", "s3cret"},
		{"escaped", "postgres://gm:p%40ss%2Fw@db/gridmap", "postgres://gm:p%40ss%2Fw@db/gridmap p@ss/w",
			"postgres://gm:********@db/gridmap ********", "p@ss"},
		{"query", "postgres://db/gridmap?user=gm&password=hush&sslmode=disable", "postgres://db/gridmap?user=gm&password=hush&sslmode=disable",
			"postgres://db/gridmap?user=gm&password=********&sslmode=disable", "hush"},
		{"keywords", "host=db user=gm password='two words' dbname=gridmap", "host=db user=gm password='two words' dbname=gridmap",
			"host=db user=gm password=******** dbname=gridmap", "two words"},
		{"no password", "postgres://gm@db/gridmap", "postgres://gm@db/gridmap", "postgres://gm@db/gridmap", ""},
		{"empty", "", "nothing", "nothing", ""},
		{"not a url", "::%zz", "x ::%zz", "x ::%zz", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := dsn.Redact(c.in, c.dsn)
			if got != c.want {
				t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
			}
			if c.secret != "" && strings.Contains(got, c.secret) {
				t.Errorf("%q still shows %q", got, c.secret)
			}
			if m := dsn.Mask(c.dsn); c.secret != "" && strings.Contains(m, c.secret) {
				t.Errorf("Mask(%q) = %q shows the password", c.dsn, m)
			}
		})
	}
}

func TestErr(t *testing.T) {
	base := errors.New("base")
	err := dsn.Err(fmt.Errorf("connect postgres://u:pw1@h/db: %w", base), "postgres://u:pw1@h/db")
	if !errors.Is(err, base) || strings.Contains(err.Error(), "pw1") {
		t.Errorf("Err = %q (Is base: %v)", err, errors.Is(err, base))
	}
	if dsn.Err(nil, "x") != nil {
		t.Error("Err(nil) is not nil")
	}
}
