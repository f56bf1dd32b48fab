package config

import (
	"errors"
	"github.com/gridmap/gridmap/auth"
	"path/filepath"
	"strings"
)

// Input names the layers Load reads over the defaults, in order.
type Input struct {
	// File is the path of a TOML configuration file; "" for none.
	File string
	// Environ is the environment as os.Environ gives it ("KEY=value");
	// variables GRIDMAP_<KEY> set keys. An empty value counts as unset.
	Environ []string
	// Flags are the flags the command line set (RegisterFlags); nil for
	// none.
	Flags *Flags
}

// Load returns the configuration of in: Default, then in.File, then
// in.Environ, then in.Flags, each value remembering its source; then
// Auth.KeysFile defaults to DATA/keys.json, and the result is validated.
// Every bad value is reported, each an *Error naming its key and source,
// joined; the Config is returned even then, for --print-config.
func Load(in Input) (*Config, error) {
	c := Default()
	c.origins, c.file = map[string]Source{}, in.File
	byName := map[string]key{}
	for _, k := range keys() {
		byName[k.name] = k
	}
	var errs []error
	if in.File != "" {
		values, err := readFile(in.File)
		if err != nil {
			return &c, err
		}
		for _, fv := range values {
			errs = append(errs, c.setFile(byName, in.File, fv))
		}
	}
	errs = append(errs, c.setEnv(byName, in.Environ)...)
	if in.Flags != nil {
		for _, fs := range in.Flags.set {
			src := Source{Kind: FromFlag, Name: fs.key.flag}
			if err := fs.key.setText(&c, fs.value); err != nil {
				errs = append(errs, newError(fs.key.name, src, "%v", err))
				continue
			}
			c.origins[fs.key.name] = src
		}
	}
	c.resolve()
	// a value that did not parse kept the one before it: the others are
	// still worth checking, so that one start reports every mistake
	errs = append(errs, c.Validate())
	return &c, errors.Join(errs...)
}

// setFile sets one key = value of the file.
func (c *Config) setFile(byName map[string]key, path string, fv fileValue) error {
	src := Source{Kind: FromFile, Name: path, Line: fv.line}
	k, ok := byName[fv.name]
	if !ok {
		if sections()[fv.name] {
			return newError(fv.name, src, "is a section: write its keys under [%s]", fv.name)
		}
		return newError(fv.name, src, "unknown key")
	}
	if err := k.setTOML(c, fv.value); err != nil {
		return newError(k.name, src, "%v", err)
	}
	c.origins[k.name] = src
	return nil
}

// setEnv sets the keys whose variables environ holds. A variable that
// starts with the prefix of a section (GRIDMAP_LIMITS_…) but names no key
// of it is refused: it is a misspelt key, not another program's variable.
func (c *Config) setEnv(byName map[string]key, environ []string) []error {
	byEnv := map[string]key{}
	for _, k := range byName {
		byEnv[k.env] = k
	}
	var errs []error
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "GRIDMAP_") || value == "" {
			continue
		}
		src := Source{Kind: FromEnv, Name: name}
		k, ok := byEnv[name]
		if !ok {
			if s := envSection(name); s != "" {
				errs = append(errs, newError(strings.ToLower(s+"."+strings.TrimPrefix(name, "GRIDMAP_"+strings.ToUpper(s)+"_")), src, "unknown key"))
			}
			continue
		}
		if err := k.setText(c, value); err != nil {
			errs = append(errs, newError(k.name, src, "%v", err))
			continue
		}
		c.origins[k.name] = src
	}
	return errs
}

// envSection returns the section whose prefix the variable name has
// (GRIDMAP_LIMITS_X → "limits"), or "".
func envSection(name string) string {
	for s := range sections() {
		if strings.HasPrefix(name, "GRIDMAP_"+strings.ToUpper(s)+"_") {
			return s
		}
	}
	return ""
}

// resolve fills the values that default from others: Auth.KeysFile from
// Data.
func (c *Config) resolve() {
	if c.Auth.KeysFile == "" {
		c.Auth.KeysFile = filepath.Join(c.Data, auth.FileName)
		if c.origins != nil {
			c.origins["auth.keys_file"] = Source{Kind: FromDefault, Name: "DATA/" + auth.FileName}
		}
	}
}
