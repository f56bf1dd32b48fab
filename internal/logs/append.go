package logs

import (
	"log/slog"
	"strconv"
	"time"
)

// appendRecord appends r as slog's JSON (json) or text handler writes it,
// without the options the fast path does not take, and reports whether it
// could: false for a record holding anything it does not write the same.
func appendRecord(b []byte, r slog.Record, json bool) ([]byte, bool) {
	var ok bool
	sep := func() {
		switch {
		case json && len(b) > 1:
			b = append(b, ',')
		case !json && len(b) > 0:
			b = append(b, ' ')
		}
	}
	if json {
		b = append(b, '{')
	}
	if !r.Time.IsZero() {
		t := r.Time.Round(0)
		if json && (t.Year() < 0 || t.Year() >= 10000) {
			return b, false
		}
		b = appendKey(b, slog.TimeKey, json)
		b = appendTime(b, t, json)
	}
	sep()
	b = appendKey(b, slog.LevelKey, json)
	b, _ = appendString(b, r.Level.String(), json) // ASCII: "INFO", "WARN+2"
	sep()
	b = appendKey(b, slog.MessageKey, json)
	if b, ok = appendString(b, r.Message, json); !ok {
		return b, false
	}
	r.Attrs(func(a slog.Attr) bool {
		if !plainKey(a.Key) {
			ok = false
			return false
		}
		sep()
		b = appendKey(b, a.Key, json)
		b, ok = appendValue(b, a.Value, json)
		return ok
	})
	if json {
		b = append(b, '}')
	}
	return append(b, '\n'), ok
}

// appendKey appends a key the fast path takes (plainKey) and its '=' or
// ':'.
func appendKey(b []byte, k string, json bool) []byte {
	if json {
		b = append(b, '"')
		b = append(b, k...)
		return append(b, '"', ':')
	}
	return append(append(b, k...), '=')
}

// plainKey reports whether k is written as it is by both handlers: ASCII
// letters, digits and _ . -, not empty.
func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		switch c := k[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '.', c == '-':
		default:
			return false
		}
	}
	return true
}

// appendValue appends v when it is a string, integer, boolean or
// duration the fast path writes as slog does.
func appendValue(b []byte, v slog.Value, json bool) ([]byte, bool) {
	switch v.Kind() {
	case slog.KindString:
		return appendString(b, v.String(), json)
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10), true
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10), true
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool()), true
	case slog.KindDuration:
		if json {
			return strconv.AppendInt(b, int64(v.Duration()), 10), true
		}
		return appendDuration(b, v.Duration()), true
	}
	return b, false
}

// appendString appends s, quoted as slog's handler quotes it, when s is
// printable ASCII (false otherwise).
func appendString(b []byte, s string, json bool) ([]byte, bool) {
	quote, escape := s == "", false // text: quote it; JSON: escape in it
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c > 0x7e:
			return b, false
		case c == '"':
			quote, escape = true, true
		case c == '\\':
			escape = true
		case c == ' ' || c == '=':
			quote = true
		}
	}
	if !json && !quote {
		return append(b, s...), true
	}
	// JSON, and strconv.Quote of printable ASCII as text quotes, escape
	// only the quote and the backslash
	b = append(b, '"')
	if !escape {
		b = append(b, s...)
		return append(b, '"'), true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return append(b, '"'), true
}

// appendTime appends t as RFC 3339: to the nanosecond, quoted, in JSON,
// to the millisecond in text (as slog writes them).
func appendTime(b []byte, t time.Time, json bool) []byte {
	if json {
		b = append(b, '"')
		b = t.AppendFormat(b, time.RFC3339Nano)
		return append(b, '"')
	}
	const prefixLen = len("2006-01-02T15:04:05.000")
	n := len(b)
	t = t.Truncate(time.Millisecond).Add(time.Millisecond / 10)
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+prefixLen], b[n+prefixLen+1:]...) // the 4th digit goes
}

// appendDuration appends d as time.Duration's String does (its string
// stays on the stack).
func appendDuration(b []byte, d time.Duration) []byte {
	return append(b, d.String()...)
}
