package sqlitestore

import (
	"context"
	"testing"
)

// TestPragmas: the settings durability depends on are in force on the
// writer's connection and the readers'.
func TestPragmas(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
		{"temp_store", "2"}, // MEMORY
	}
	for _, tc := range tests {
		var w, r string
		err := s.w.do(ctx, func(x *wtx) error {
			return x.w.conn.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&w)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.rdb.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&r); err != nil {
			t.Fatal(err)
		}
		if w != tc.want || r != tc.want {
			t.Errorf("%s: writer %s, reader %s; want %s", tc.pragma, w, r, tc.want)
		}
	}
	var only string
	if err := s.rdb.QueryRowContext(ctx, "PRAGMA query_only").Scan(&only); err != nil || only != "1" {
		t.Errorf("readers query_only %s, %v; want 1", only, err)
	}
}
