package config

import (
	"errors"
	"fmt"
)

// SourceKind says which layer a value came from, lowest first.
type SourceKind int

const (
	// FromDefault: Default's value (or one derived from other keys).
	FromDefault SourceKind = iota
	// FromFile: the configuration file.
	FromFile
	// FromEnv: an environment variable GRIDMAP_….
	FromEnv
	// FromFlag: a command-line flag.
	FromFlag
)

// Source is where a value came from.
type Source struct {
	Kind SourceKind
	// Name is the file's path as given, the environment variable or the
	// flag (without dashes); for a derived default, what it derives from.
	Name string
	// Line is the 1-based line in the file, 0 when unknown or not a file.
	Line int
}

// String writes the source as messages quote it: "gridmap.toml line 12",
// "GRIDMAP_LIMITS_RATE", "flag --addr", "default".
func (s Source) String() string {
	switch s.Kind {
	case FromFile:
		if s.Line > 0 {
			return fmt.Sprintf("%s line %d", s.Name, s.Line)
		}
		return s.Name
	case FromEnv:
		return s.Name
	case FromFlag:
		return "flag --" + s.Name
	default:
		if s.Name != "" {
			return "default: " + s.Name
		}
		return "default"
	}
}

// Error is a refused value: the key, what is wrong, and where the value
// came from. Load and Validate return them, joined with errors.Join when
// there are several.
type Error struct {
	// Key is the key as in the file: "limits.rate".
	Key string
	// Msg says what is wrong with the value: `"fast" is not a number`.
	Msg string
	// Source is where the value came from; the zero Source (a default)
	// is not quoted.
	Source Source
	// set marks an Error whose Source was given; Validate's errors on a
	// Config not made by Load have none.
	set bool
}

// Error writes `limits.rate: "fast" is not a number (from GRIDMAP_LIMITS_RATE)`.
func (e *Error) Error() string {
	if !e.set {
		return e.Key + ": " + e.Msg
	}
	return fmt.Sprintf("%s: %s (from %s)", e.Key, e.Msg, e.Source)
}

// newError returns an Error of key from src.
func newError(key string, src Source, format string, args ...any) *Error {
	return &Error{Key: key, Msg: fmt.Sprintf(format, args...), Source: src, set: true}
}

// Errors returns the Errors in err (one, or several joined), in order.
func Errors(err error) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var e *Error
		if errors.As(err, &e) {
			out = append(out, e)
		}
	}
	walk(err)
	return out
}
