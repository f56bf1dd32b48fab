// Package dsn masks the password of a database URL (postgres://USER:PASSWORD@HOST/DB)
// wherever it would be shown: the printed configuration, log lines, errors.
package dsn

import (
	"net/url"
	"strings"
)

// Redact returns s with the password of the database URL dsn masked
// ("********"), wherever it appears: in the URL itself or alone. A dsn
// that does not parse is masked whole from its scheme to its host.
func Redact(s, dsn string) string {
	if s == "" || dsn == "" {
		return s
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return strings.ReplaceAll(s, dsn, "postgres://********")
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		masked := *u
		masked.User = url.UserPassword(u.User.Username(), "********")
		s = strings.ReplaceAll(s, dsn, masked.String())
		s = replaceAll(s, url.QueryEscape(pw), "********")
		s = replaceAll(s, pw, "********")
	}
	if pw := u.Query().Get("password"); pw != "" {
		s = replaceAll(s, pw, "********")
	}
	return s
}

// Mask returns the database URL dsn with its password masked.
func Mask(dsn string) string { return Redact(dsn, dsn) }

// replaceAll replaces old in s by new; an empty old changes nothing.
func replaceAll(s, old, new string) string {
	if old == "" {
		return s
	}
	return strings.ReplaceAll(s, old, new)
}

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
