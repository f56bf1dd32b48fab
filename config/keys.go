package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// key is one setting of Config: its name in the file, its environment
// variable and flag, and the field it fills.
type key struct {
	name    string // "limits.rate"
	section string // "limits", or "" at the top level
	env     string // "GRIDMAP_LIMITS_RATE"
	flag    string // "limits-rate"
	help    string
	index   []int // field path in Config
	typ     reflect.Type
	// maskURL: the value is a URL whose password is masked when printed
	maskURL bool
}

var (
	bytesType    = reflect.TypeFor[Bytes]()
	durationType = reflect.TypeFor[time.Duration]()
	secretType   = reflect.TypeFor[Secret]()
)

// keys lists every setting of Config in the struct's order, from its toml,
// flag and help tags.
func keys() []key {
	var out []key
	root := reflect.TypeFor[Config]()
	for i := range root.NumField() {
		f := root.Field(i)
		name := f.Tag.Get("toml")
		if name == "" {
			continue
		}
		if f.Type.Kind() != reflect.Struct {
			out = append(out, newKey("", f, []int{i}))
			continue
		}
		for j := range f.Type.NumField() {
			out = append(out, newKey(name, f.Type.Field(j), []int{i, j}))
		}
	}
	return out
}

func newKey(section string, f reflect.StructField, index []int) key {
	k := key{section: section, name: f.Tag.Get("toml"), help: f.Tag.Get("help"), index: index, typ: f.Type, maskURL: f.Tag.Get("mask") == "password"}
	if section != "" {
		k.name = section + "." + k.name
	}
	k.env = "GRIDMAP_" + strings.ToUpper(strings.ReplaceAll(k.name, ".", "_"))
	k.flag = f.Tag.Get("flag")
	if k.flag == "" {
		k.flag = strings.NewReplacer(".", "-", "_", "-").Replace(k.name)
	}
	return k
}

// sections returns the names of Config's sections ("log", "limits", …).
func sections() map[string]bool {
	out := map[string]bool{}
	for _, k := range keys() {
		if k.section != "" {
			out[k.section] = true
		}
	}
	return out
}

// field returns the field of k in c, settable.
func (k key) field(c *Config) reflect.Value { return reflect.ValueOf(c).Elem().FieldByIndex(k.index) }

// secret reports whether k's value is masked when printed.
func (k key) secret() bool { return k.typ == secretType }

// setText sets k in c from text, as environment variables and flags give
// it. The error says what is wrong with the value, without key or source.
func (k key) setText(c *Config, s string) error {
	v := k.field(c)
	switch {
	case k.typ == bytesType:
		b, err := ParseBytes(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(b))
	case k.typ == durationType:
		d, err := parseDuration(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
	case v.Kind() == reflect.String:
		v.SetString(s)
	case v.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%q is not true or false", s)
		}
		v.SetBool(b)
	case v.CanInt():
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || v.OverflowInt(n) {
			return fmt.Errorf("%q is not a whole number", s)
		}
		v.SetInt(n)
	case v.CanFloat():
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
		v.SetFloat(f)
	case v.Kind() == reflect.Slice:
		v.Set(reflect.ValueOf(splitList(s)))
	default:
		panic("config: no text form for " + k.typ.String())
	}
	return nil
}

// setTOML sets k in c from a value decoded from TOML (string, int64,
// float64, bool, []any…).
func (k key) setTOML(c *Config, x any) error {
	v := k.field(c)
	switch val := x.(type) {
	case string:
		if v.Kind() == reflect.String || k.typ == bytesType || k.typ == durationType {
			return k.setText(c, val)
		}
	case int64:
		switch {
		case k.typ == durationType:
			return fmt.Errorf("%d is not a duration: write a string such as \"30s\"", val)
		case v.CanInt() && !v.OverflowInt(val):
			v.SetInt(val)
			return nil
		case v.CanFloat():
			v.SetFloat(float64(val))
			return nil
		}
	case float64:
		if v.CanFloat() {
			v.SetFloat(val)
			return nil
		}
	case bool:
		if v.Kind() == reflect.Bool {
			v.SetBool(val)
			return nil
		}
	case []any:
		if v.Kind() == reflect.Slice {
			return setList(v, val)
		}
	}
	return fmt.Errorf("%s is not %s", describe(x), k.kind())
}

// setList sets a []string field from a TOML array of strings.
func setList(v reflect.Value, items []any) error {
	list := make([]string, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			return fmt.Errorf("item %d, %s, is not a string", i+1, describe(it))
		}
		list[i] = s
	}
	v.Set(reflect.ValueOf(list))
	return nil
}

// kind names what k takes, for error messages.
func (k key) kind() string {
	switch {
	case k.typ == bytesType:
		return "a size such as 1048576 or \"64MiB\""
	case k.typ == durationType:
		return "a duration such as \"30s\""
	case k.typ.Kind() == reflect.String:
		return "a string"
	case k.typ.Kind() == reflect.Bool:
		return "true or false"
	case k.typ.Kind() == reflect.Slice:
		return "a list of strings"
	case k.typ.Kind() == reflect.Float64:
		return "a number"
	default:
		return "a whole number"
	}
}

// describe writes a decoded TOML value for an error message.
func describe(x any) string {
	switch v := x.(type) {
	case string:
		return strconv.Quote(v)
	case map[string]any:
		return "a table"
	case []any:
		return "a list"
	default:
		return fmt.Sprint(v)
	}
}

// text writes k's value in c the way setText reads it (secrets in clear).
func (k key) text(c *Config) string {
	v := k.field(c)
	switch {
	case k.typ == bytesType:
		return Bytes(v.Int()).String()
	case k.typ == durationType:
		return formatDuration(time.Duration(v.Int()))
	case v.Kind() == reflect.Slice:
		return strings.Join(v.Interface().([]string), ",")
	case v.Kind() == reflect.String:
		return v.String()
	default:
		return fmt.Sprint(v.Interface())
	}
}
