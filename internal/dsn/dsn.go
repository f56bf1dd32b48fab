// Package dsn masks the password of a database URL
// (postgres://USER:PASSWORD@HOST:PORT/DB, or ?password=…) wherever it would
// be shown: the printed configuration, log lines, errors.
package dsn

import (
	"net/url"
	"regexp"
	"strings"
)

// Masked is what a password is shown as.
const Masked = "********"

// keyword is a password given as a keyword: password=VALUE in a URL's query
// or a keyword/value connection string.
var keyword = regexp.MustCompile(`(?i)(password=)('[^']*'|[^\s&]+)`)

// Redact returns s with the password of the database URL dsn masked
// wherever it appears: in the URL itself, percent-encoded or alone. A
// password given as password=VALUE is masked too.
func Redact(s, dsn string) string {
	if s == "" || dsn == "" {
		return s
	}
	var pws []string
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			pws = append(pws, url.UserPassword("", pw).String()[1:], url.QueryEscape(pw), url.PathEscape(pw), pw)
		}
	}
	for _, m := range keyword.FindAllStringSubmatch(dsn, -1) {
		v := m[2]
		pws = append(pws, v, strings.Trim(v, "'"))
		if uv, err := url.QueryUnescape(v); err == nil {
			pws = append(pws, uv)
		}
	}
	for _, pw := range pws {
		if len(pw) > 0 && pw != Masked {
			s = strings.ReplaceAll(s, pw, Masked)
		}
	}
	return keyword.ReplaceAllString(s, "${1}"+Masked)
}

// Mask returns the database URL dsn with its password masked.
func Mask(dsn string) string { return Redact(dsn, dsn) }

// Err returns err with the password of dsn masked in its message; errors.Is
// and errors.As still see the errors it wraps. Nil stays nil.
func Err(err error, dsn string) error {
	if err == nil {
		return nil
	}
	return &redacted{err: err, msg: Redact(err.Error(), dsn)}
}

type redacted struct {
	err error
	msg string
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }
