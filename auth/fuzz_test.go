package auth

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParseKeys feeds the keys-file parser bytes from its corpus
// (testdata/fuzz/FuzzParseKeys) and mutations of it: it never panics, it
// refuses with ErrBadFile or accepts, and what it accepts is written back
// by encodeKeys into a file it reads to the same keys.
func FuzzParseKeys(f *testing.F) {
	f.Add([]byte(`{"format":1,"keys":[]}`))
	f.Add([]byte(`{"format":1,"keys":[{"id":"0a1b2c3d","name":"hotline","role":"reader","hash":"sha256:` +
		`9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","created":"2025-01-02T03:04:05Z"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		keys, err := parseKeys(b)
		if err != nil {
			if !errors.Is(err, ErrBadFile) {
				t.Fatalf("error %v does not wrap ErrBadFile", err)
			}
			return
		}
		out, err := encodeKeys(keys)
		if err != nil {
			t.Fatal(err)
		}
		again, err := parseKeys(out)
		if err != nil {
			t.Fatalf("written back, refused: %v\n%s", err, out)
		}
		out2, _ := encodeKeys(again)
		if !bytes.Equal(out, out2) {
			t.Fatalf("not stable:\n%s\n%s", out, out2)
		}
		for _, k := range again {
			if _, err := parseHash(k.Hash); err != nil || checkName(k.Name) != nil || !k.Role.Can(Read) {
				t.Fatalf("accepted a bad key %+v", k)
			}
		}
	})
}
