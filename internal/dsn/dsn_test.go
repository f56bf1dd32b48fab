package dsn_test

import (
	"errors"
	"fmt"
	"net/url"
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

// FuzzMask: for any user, password and host, the masked URL shows neither
// the password nor its escaped form, and Redact never panics.
func FuzzMask(f *testing.F) {
	f.Add("gm", "s3cret", "db:5432")
	f.Add("u", "p@ss/w:rd?&=", "127.0.0.1")
	f.Add("", "密码1234", "[::1]:5432")
	f.Fuzz(func(t *testing.T, user, pw, host string) {
		u := url.URL{Scheme: "postgres", User: url.UserPassword(user, pw), Host: host, Path: "/gridmap"}
		s := u.String()
		m := dsn.Mask(s)
		_ = dsn.Redact("x "+pw+" "+s, s)
		if len(pw) < 4 || strings.Contains(pw, "*") || strings.Contains(user+host+"postgres:/gridmap", pw) {
			return
		}
		if _, err := url.Parse(s); err != nil {
			return // not a URL a store would be given
		}
		escaped := strings.TrimPrefix(url.UserPassword("", pw).String(), ":")
		if strings.Contains(m, pw) || strings.Contains(m, escaped) {
			t.Errorf("Mask(%q) = %q shows the password", s, m)
		}
	})
}
