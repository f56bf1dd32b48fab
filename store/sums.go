package store

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Each version directory holds SHA256SUMS, written at publish: a line per
// file in the format of sha256sum ("HEX  NAME", so `sha256sum -c SHA256SUMS`
// checks it by hand), then a last line "# self HEX" holding the SHA-256 of
// the lines above it, so that damage to SHA256SUMS itself is seen too.
// Versions written before checksums existed have no SHA256SUMS; they load
// unchecked.
const (
	sumsFile     = "SHA256SUMS"
	layersFile   = "layers.bin"
	manifestFile = "manifest.json"
	selfPrefix   = "# self "
)

// sums maps a file name of a version to its SHA-256; nil means unchecked.
type sums map[string][sha256.Size]byte

// encode returns the content of SHA256SUMS for s, names sorted.
func (s sums) encode() []byte {
	var b bytes.Buffer
	for _, name := range []string{layersFile, manifestFile} {
		if sum, ok := s[name]; ok {
			fmt.Fprintf(&b, "%x  %s\n", sum, name)
		}
	}
	fmt.Fprintf(&b, "%s%x\n", selfPrefix, sha256.Sum256(b.Bytes()))
	return b.Bytes()
}

// parseSums reads the content of a SHA256SUMS file.
func parseSums(b []byte) (sums, error) {
	i := bytes.LastIndex(b, []byte(selfPrefix))
	if i < 0 || (i > 0 && b[i-1] != '\n') {
		return nil, errors.New("no self checksum line")
	}
	// compared as text, so that a flip of a hex digit's case is seen too
	if want := fmt.Sprintf("%s%x\n", selfPrefix, sha256.Sum256(b[:i])); string(b[i:]) != want {
		return nil, errChecksum
	}
	out := sums{}
	sc := bufio.NewScanner(bytes.NewReader(b[:i]))
	for sc.Scan() {
		hexSum, name, ok := strings.Cut(sc.Text(), "  ")
		sum, err := hex.DecodeString(hexSum)
		if !ok || err != nil || len(sum) != sha256.Size {
			return nil, fmt.Errorf("malformed line %q", sc.Text())
		}
		out[name] = [sha256.Size]byte(sum)
	}
	return out, nil
}

// readSums returns the checksums of version id, nil when it has none.
func (s *Dir) readSums(id string) (sums, error) {
	b, err := os.ReadFile(filepath.Join(s.versionDir(id), sumsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read checksums of %s: %w", id, err)
	}
	sm, err := parseSums(b)
	if err != nil {
		return nil, &DamagedError{ID: id, File: sumsFile, Err: err}
	}
	return sm, nil
}

// check returns a *DamagedError when file of version id has a recorded
// checksum other than got. It accepts anything when s is nil (unchecked).
func (s sums) check(id, file string, got []byte) error {
	if s == nil {
		return nil
	}
	want, ok := s[file]
	if !ok {
		return &DamagedError{ID: id, File: sumsFile, Err: fmt.Errorf("no checksum for %s", file)}
	}
	if !bytes.Equal(want[:], got) {
		return &DamagedError{ID: id, File: file, Err: errChecksum}
	}
	return nil
}
