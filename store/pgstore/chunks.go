package pgstore

import (
	"context"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/store"
	"github.com/jackc/pgx/v5"
)

// A version's files — its dataset under layersFile, its published files
// under their names — are rows of gridmap.file_chunks of chunkSize bytes
// (the last shorter), with a row of gridmap.files holding the whole
// file's size and SHA-256. A value stays far below bytea's 1 GB limit, and
// a province's dataset of 1–2 GB streams in and out without being held
// whole in memory.
const (
	chunkSize  = 1 << 20
	layersFile = "layers.bin"
)

// querier is what reading needs of a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// writeChunks stores what r holds as file name of version n in tx,
// replacing what was there, and returns its SHA-256.
func writeChunks(ctx context.Context, tx pgx.Tx, n int32, name string, r io.Reader) ([sha256.Size]byte, error) {
	if _, err := tx.Exec(ctx, "DELETE FROM gridmap.file_chunks WHERE version = $1 AND name = $2", n, name); err != nil {
		return [sha256.Size]byte{}, err
	}
	src := &chunkSource{r: r, h: sha256.New(), n: n, name: name, buf: make([]byte, chunkSize)}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"gridmap", "file_chunks"}, []string{"version", "name", "seq", "chunk"}, src); err != nil {
		return [sha256.Size]byte{}, err
	}
	sum := [sha256.Size]byte(src.h.Sum(nil))
	_, err := tx.Exec(ctx, `INSERT INTO gridmap.files (version, name, size, sha256, written) VALUES ($1, $2, $3, $4, now())
		ON CONFLICT (version, name) DO UPDATE SET size = EXCLUDED.size, sha256 = EXCLUDED.sha256, written = EXCLUDED.written`,
		n, name, src.size, sum[:])
	return sum, err
}

// chunkSource is the rows of file name of version n, read from r, for
// CopyFrom, which encodes each row before asking for the next (so buf is
// reused).
type chunkSource struct {
	r    io.Reader
	h    hash.Hash
	n    int32
	name string
	buf  []byte
	seq  int32
	size int64
	cur  []byte
	err  error
}

func (c *chunkSource) Next() bool {
	k, err := io.ReadFull(c.r, c.buf)
	if k == 0 {
		if err != io.EOF {
			c.err = err
		}
		return false
	}
	if err != nil && err != io.ErrUnexpectedEOF {
		c.err = err
		return false
	}
	c.cur = c.buf[:k]
	c.h.Write(c.cur)
	c.size += int64(k)
	c.seq++
	return true
}

func (c *chunkSource) Values() ([]any, error) { return []any{c.n, c.name, c.seq, c.cur}, nil }
func (c *chunkSource) Err() error             { return c.err }

// readChunks writes file name of version n to w and checks it against its
// recorded size and SHA-256: a mismatch is a *store.DamagedError. A file
// that is not there is errMissing.
func readChunks(ctx context.Context, q querier, n int32, name string, w io.Writer) error {
	var size int64
	var want []byte
	err := q.QueryRow(ctx, "SELECT size, sha256 FROM gridmap.files WHERE version = $1 AND name = $2", n, name).Scan(&size, &want)
	if errNoRows(err) {
		return errMissing
	}
	if err != nil {
		return err
	}
	rows, err := q.Query(ctx, "SELECT seq, chunk FROM gridmap.file_chunks WHERE version = $1 AND name = $2 ORDER BY seq", n, name)
	if err != nil {
		return err
	}
	defer rows.Close()
	h := sha256.New()
	var got int64
	var seq, next int32 = 0, 1
	var chunk []byte
	for rows.Next() {
		if err := rows.Scan(&seq, &chunk); err != nil {
			return err
		}
		if seq != next {
			return &store.DamagedError{ID: idOf(n), File: name, Err: fmt.Errorf("chunk %d where %d was due", seq, next)}
		}
		next++
		got += int64(len(chunk))
		h.Write(chunk)
		if _, err := w.Write(chunk); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if got != size || string(h.Sum(nil)) != string(want) {
		return &store.DamagedError{ID: idOf(n), File: name, Err: fmt.Errorf("%d bytes of %d, or a checksum mismatch", got, size)}
	}
	return nil
}

// errMissing is returned by readChunks for a file a version does not have.
var errMissing = fmt.Errorf("no such file")

// writeDataset stores d's encoding (store.EncodeDataset) as layersFile of
// version n in tx, encoding as the chunks are sent.
func writeDataset(ctx context.Context, tx pgx.Tx, n int32, d *geo.Dataset) error {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(store.EncodeDataset(pw, d)) }()
	_, err := writeChunks(ctx, tx, n, layersFile, pr)
	pr.CloseWithError(fmt.Errorf("the copy ended: %w", err)) // ends the encoder if the copy failed
	return err
}

// readDataset decodes the dataset of version n as its chunks arrive.
func (s *Store) readDataset(ctx context.Context, n int32) (*geo.Dataset, error) {
	var size int64
	err := s.pool.QueryRow(ctx, "SELECT size FROM gridmap.files WHERE version = $1 AND name = $2", n, layersFile).Scan(&size)
	if errNoRows(err) {
		return nil, &store.DamagedError{ID: idOf(n), File: layersFile, Err: errMissing}
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", idOf(n), s.clean(err))
	}
	pr, pw := io.Pipe()
	read := make(chan error, 1)
	go func() {
		err := readChunks(ctx, s.pool, n, layersFile, pw)
		pw.CloseWithError(err)
		read <- err
	}()
	d, decodeErr := store.DecodeDataset(pr, size)
	if decodeErr == nil {
		_, decodeErr = io.Copy(io.Discard, pr) // to the checksum
	}
	pr.CloseWithError(fmt.Errorf("decoding ended: %w", decodeErr))
	if err := <-read; err != nil {
		if _, ok := err.(*store.DamagedError); ok {
			return nil, err
		}
		if decodeErr == nil || ctx.Err() != nil {
			return nil, fmt.Errorf("load %s: %w", idOf(n), s.clean(err))
		}
	}
	if decodeErr != nil {
		return nil, &store.DamagedError{ID: idOf(n), File: layersFile, Err: decodeErr}
	}
	return d, nil
}
