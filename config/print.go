package config

import (
	"bufio"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/internal/dsn"
)

// WriteTOML writes c as a TOML file that Load reads back, each value
// followed by a comment saying where it came from; secrets are masked
// ("********"), so the output is safe to paste into a ticket.
func (c *Config) WriteTOML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# gridmap serve: the effective configuration; each comment says where the value came from.")
	section := ""
	for _, k := range keys() {
		if k.section != section {
			section = k.section
			fmt.Fprintf(bw, "\n[%s]\n", section)
		}
		short := k.name[strings.LastIndexByte(k.name, '.')+1:]
		src := c.origins[k.name]
		from := "from "
		if src.Kind == FromDefault {
			from = ""
		}
		fmt.Fprintf(bw, "%s = %s  # %s%s\n", short, k.tomlValue(c), from, src)
	}
	return bw.Flush()
}

// tomlValue writes k's value in c as a TOML value.
func (k key) tomlValue(c *Config) string {
	v := k.field(c)
	switch {
	case k.secret():
		return tomlString(Secret(v.String()).String())
	case k.maskURL:
		return tomlString(dsn.Mask(v.String()))
	case k.typ == bytesType:
		s := Bytes(v.Int()).String()
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			return s
		}
		return tomlString(s)
	case k.typ == durationType:
		return tomlString(k.text(c))
	case v.Kind() == reflect.String:
		return tomlString(v.String())
	case v.Kind() == reflect.Slice:
		items := v.Interface().([]string)
		q := make([]string, len(items))
		for i, it := range items {
			q[i] = tomlString(it)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case v.CanFloat():
		s := strconv.FormatFloat(v.Float(), 'g', -1, 64)
		if !strings.ContainsAny(s, ".eIN") {
			s += ".0"
		}
		return s
	default:
		return fmt.Sprint(v.Interface())
	}
}

// tomlString quotes s as a TOML basic string: backslash, quote and control
// characters escaped, everything else as is.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
