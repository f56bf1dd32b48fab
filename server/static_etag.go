package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"sync"
)

// staticETags holds the ETag of each embedded static file, made at its
// first request: the embedded files carry no modification time, so
// without it a browser would fetch every file of the page again on each
// load (they are sent with Cache-Control: no-cache).
var staticETags sync.Map // name → string

// staticETag returns the ETag of the embedded file f named name: a
// quoted prefix of the SHA-256 of its content.
func staticETag(name string, f fs.File) (string, error) {
	if v, ok := staticETags.Load(name); ok {
		return v.(string), nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("static %s: %w", name, err)
	}
	if s, ok := f.(io.Seeker); ok {
		if _, err := s.Seek(0, io.SeekStart); err != nil {
			return "", fmt.Errorf("static %s: %w", name, err)
		}
	}
	tag := `"` + hex.EncodeToString(h.Sum(nil)[:12]) + `"`
	staticETags.Store(name, tag)
	return tag, nil
}
