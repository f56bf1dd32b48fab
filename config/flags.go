package config

import (
	"flag"
	"reflect"
)

// Flags records the configuration flags a command line set, in order.
// RegisterFlags makes one; Load applies it over the file and environment.
type Flags struct {
	set []flagSetting
}

type flagSetting struct {
	key   key
	value string
}

// RegisterFlags defines one flag per key on fs (named as key's flag: --addr,
// --limits-rate, --tile-cache-mb…), each showing its default, and returns
// what parsing fs sets. Values are checked by Load, so that a bad one is
// reported with its key and flag like any other.
func RegisterFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{}
	def := Default()
	for _, k := range keys() {
		d := k.text(&def)
		if d == "false" {
			d = "" // flag's usage shows no default for a false boolean
		}
		fs.Var(&flagValue{flags: f, key: k, def: d}, k.flag, k.help+" ["+k.name+", $"+k.env+"]")
	}
	return f
}

// flagValue is one key's flag.Value: Set records the text for Load.
type flagValue struct {
	flags *Flags
	key   key
	def   string
	value *string
}

// String returns the default, which flag's usage shows.
func (v *flagValue) String() string {
	if v == nil {
		return ""
	}
	if v.value != nil {
		return *v.value
	}
	return v.def
}

// Set records s.
func (v *flagValue) Set(s string) error {
	v.value = &s
	v.flags.set = append(v.flags.set, flagSetting{v.key, s})
	return nil
}

// IsBoolFlag lets a boolean key be given as --debug-pprof alone.
func (v *flagValue) IsBoolFlag() bool { return v.key.typ.Kind() == reflect.Bool }
