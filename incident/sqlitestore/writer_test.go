package sqlitestore

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
)

// TestBatchUndoesOnlyTheFailedOp: in a batch of several ops, one failing
// op's writes are undone and the others' committed, each op answered
// with its own error, however many of them fail.
func TestBatchUndoesOnlyTheFailedOp(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if err := s.w.do(ctx, func(x *wtx) error {
		_, err := x.exec(`CREATE TABLE t (v INTEGER)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	bad := errors.New("refused")
	for _, tt := range []struct {
		name string
		fail []bool
	}{
		{"none fails", []bool{false, false, false}},
		{"the middle one fails", []bool{false, true, false}},
		{"the first fails", []bool{true, false, false}},
		{"all fail", []bool{true, true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.w.do(ctx, func(x *wtx) error { _, err := x.exec(`DELETE FROM t`); return err }); err != nil {
				t.Fatal(err)
			}
			var batch []*op
			var want []int64
			for i, fail := range tt.fail {
				v := int64(i + 1)
				batch = append(batch, &op{err: make(chan error, 1), fn: func(x *wtx) error {
					if _, err := x.exec(`INSERT INTO t (v) VALUES (?)`, v); err != nil {
						return err
					}
					if fail {
						return bad
					}
					return nil
				}})
				if !fail {
					want = append(want, v)
				}
			}
			// the writer's goroutine is idle: run the batch as it would
			s.w.commit(batch)
			for i, o := range batch {
				if err := <-o.err; (err != nil) != tt.fail[i] || err != nil && !errors.Is(err, bad) {
					t.Errorf("op %d: %v, want failed %v", i+1, err, tt.fail[i])
				}
			}
			var got []int64
			rows, err := s.rdb.QueryContext(ctx, `SELECT v FROM t ORDER BY v`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var v int64
				if err := rows.Scan(&v); err != nil {
					t.Fatal(err)
				}
				got = append(got, v)
			}
			if !slices.Equal(got, want) {
				t.Errorf("stored %v, want %v", got, want)
			}
		})
	}
}

// openTemp opens a store in t's temporary directory, closed at its end.
func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "incidents.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
