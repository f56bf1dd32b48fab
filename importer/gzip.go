package importer

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// gzipped reports whether path names a gzip-compressed GeoJSON file
// (FILE.geojson.gz, as the bundled sample's layers are): it is read
// through gzip, its layer named after the base name without extensions.
func gzipped(path string) bool { return strings.EqualFold(filepath.Ext(path), ".gz") }

// readGzip reads the gzip-compressed GeoJSON r of src to its end, so that
// a damaged file (its CRC-32 or length) is refused even when its JSON
// ended well.
func readGzip(ctx context.Context, r io.Reader, src Source, opts Options, decl declaration, prob *Problem) *fileData {
	zr, err := gunzip(r, src.Path, opts.withDefaults().Limits.MaxFileBytes)
	if err != nil {
		fd := &fileData{src: src, summary: FileSummary{Path: src.Path, Layer: src.Layer}, fatal: true}
		fd.add(Problem{Kind: KindReadError, Message: err.Error()})
		return fd
	}
	fd := readStreamDecl(ctx, zr, src, opts, decl, prob)
	if fd.fatal {
		return fd
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		fd.add(Problem{Kind: KindReadError, Message: fmt.Sprintf("%s: read: %v", src.Path, err)})
		fd.fatal = true
	}
	return fd
}

// gunzip returns the decompressed stream of r, the file at path, which
// yields a *decompressedLimit error past max bytes (a small file
// decompressing to gigabytes is refused as a large one is; max < 0: no
// cap).
func gunzip(r io.Reader, path string, max int64) (io.Reader, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%s: not a gzip file: %w", path, err)
	}
	if max < 0 {
		return zr, nil
	}
	return &cappedReader{r: zr, left: max, err: &decompressedLimit{path: path, max: max}}, nil
}

// decompressedLimit is the error of a compressed file that decompresses
// to more than the cap of a file.
type decompressedLimit struct {
	path string
	max  int64
}

func (e *decompressedLimit) Error() string {
	return fmt.Sprintf("%s: decompresses to more than the %d bytes a file may hold (%s); split the file or raise the limit", e.path, e.max, KeyMaxFileBytes)
}

// cappedReader reads r until left bytes were read, then fails with err.
type cappedReader struct {
	r    io.Reader
	left int64
	err  error
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// one byte more tells a stream of exactly the cap from a longer one
		var one [1]byte
		if n, _ := io.ReadFull(c.r, one[:]); n == 0 {
			return 0, io.EOF
		}
		return 0, c.err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
