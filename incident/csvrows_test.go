package incident

import (
	"errors"
	"io"
	"strings"
	"testing"
)

const histHeader = "source,external_ref,category,lon,lat,reported_at,occurred_at,status,handled_at,closed_at,rating,description,reporter_name,reporter_phone\n"

// TestRowReader reads good rows and names the line and column of bad ones.
func TestRowReader(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		line  int // of the error; 0: none
		field string
	}{
		{"closed", histHeader + "12345,A1,市容环境,120.3,31.5,2026-01-02T08:00:00+08:00,,closed,2026-01-02T12:00:00+08:00,2026-01-03T08:00:00+08:00,5,占道经营,张三,13812345678\n", 0, ""},
		{"china time", histHeader + "110,A2,治安,120.3,31.5,2026-01-02 08:00:00,,reported,,,,,,\n", 0, ""},
		{"other order, crs, id", "ID,Status,Lat,Lon,Category,Source,Reported_At,CRS\n7,assessed,31.5,120.3,其他,wechat,2026-01-02T00:00:00Z,gcj02\n", 0, ""},
		{"empty", "", 1, "header"},
		{"missing column", "source,category,lon,lat,reported_at\n", 1, "status"},
		{"unknown column", "source,category,lon,lat,reported_at,status,colour\n", 1, "colour"},
		{"column twice", "source,source,category,lon,lat,reported_at,status\n", 1, "source"},
		{"bad lon", histHeader + "110,A,治安,east,31.5,2026-01-02T00:00:00Z,,reported,,,,,,\n", 2, "lon"},
		{"bad time", histHeader + "110,A,治安,120.3,31.5,yesterday,,reported,,,,,,\n", 2, "reported_at"},
		{"no report time", histHeader + "110,A,治安,120.3,31.5,,,reported,,,,,,\n", 2, "reported_at"},
		{"bad status", histHeader + "110,A,治安,120.3,31.5,2026-01-02T00:00:00Z,,done,,,,,,\n", 2, "status"},
		{"no category", histHeader + "110,A,,120.3,31.5,2026-01-02T00:00:00Z,,reported,,,,,,\n", 2, "category"},
		{"rating 6", histHeader + "110,A,治安,120.3,31.5,2026-01-02T00:00:00Z,,closed,2026-01-02T01:00:00Z,2026-01-02T02:00:00Z,6,,,\n", 2, "rating"},
		{"closed without handled", histHeader + "110,A,治安,120.3,31.5,2026-01-02T00:00:00Z,,closed,,2026-01-02T02:00:00Z,,,,\n", 2, "handled_at"},
		{"closed without closed_at", histHeader + "110,A,治安,120.3,31.5,2026-01-02T00:00:00Z,,closed,2026-01-02T01:00:00Z,,,,,\n", 2, "closed_at"},
		{"handled before report", histHeader + "110,A,治安,120.3,31.5,2026-01-02T00:00:00Z,,handled,2026-01-01T01:00:00Z,,,,,\n", 2, "handled_at"},
		{"closed before handled", histHeader + "110,A,治安,120.3,31.5,2026-01-02T00:00:00Z,,closed,2026-01-02T05:00:00Z,2026-01-02T02:00:00Z,,,,\n", 2, "closed_at"},
		{"occurred after report", histHeader + "110,A,治安,120.3,31.5,2026-01-02T00:00:00Z,2026-01-03T00:00:00Z,reported,,,,,,\n", 2, "occurred_at"},
		{"control character", histHeader + "110,A,治\x01安,120.3,31.5,2026-01-02T00:00:00Z,,reported,,,,,,\n", 2, "category"},
		{"long reporter", histHeader + "110,A,治安,120.3,31.5,2026-01-02T00:00:00Z,,reported,,,,," + strings.Repeat("名", 65) + ",\n", 2, "reporter_name"},
		{"third line", histHeader + "110,A,治安,120.3,31.5,2026-01-02T00:00:00Z,,reported,,,,,,\n110,B,治安,120.3,x,2026-01-02T00:00:00Z,,reported,,,,,,\n", 3, "lat"},
		{"open quote", histHeader + "110,\"A,治安,120.3,31.5,2026-01-02T00:00:00Z,,reported,,,,,,\n", 2, "row"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := readAll(tc.in)
			if tc.line == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Line != tc.line || fe.Field != tc.field {
				t.Fatalf("error %v, want line %d field %s", err, tc.line, tc.field)
			}
			if strings.Contains(err.Error(), "13812345678") || strings.Contains(err.Error(), "张三") {
				t.Fatalf("error shows personal data: %v", err)
			}
		})
	}
}

// readAll reads every row of in, returning the first error.
func readAll(in string) error {
	rr, err := newRowReader(strings.NewReader(in))
	if err != nil {
		return err
	}
	for {
		_, err := rr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// FuzzRowReader: any input reads as rows or errors naming a line, never a
// panic; a good row has a known status, times in order and a source and
// category.
func FuzzRowReader(f *testing.F) {
	f.Add(histHeader + "12345,A1,市容环境,120.3,31.5,2026-01-02T08:00:00+08:00,,closed,2026-01-02T12:00:00+08:00,2026-01-03T08:00:00+08:00,5,占道经营,张三,13812345678\n")
	f.Add("ID,Status,Lat,Lon,Category,Source,Reported_At,CRS\n7,assessed,31.5,120.3,其他,wechat,2026-01-02 00:00:00,gcj02\n")
	f.Add(histHeader + "110,\"A\"\"B\",治安,1e3,NaN,2026-01-02T00:00:00Z,,handled,2026-01-02T00:00:00Z,,,,,\n")
	f.Fuzz(func(t *testing.T, in string) {
		rr, err := newRowReader(strings.NewReader(in))
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Line < 1 {
				t.Fatalf("header error %v", err)
			}
			return
		}
		for range 1000 {
			row, err := rr.next()
			if err == io.EOF {
				return
			}
			if err != nil {
				var fe *FieldError
				if !errors.As(err, &fe) || fe.Line < 1 {
					t.Fatalf("row error %v", err)
				}
				if rr.broken {
					return
				}
				continue
			}
			if !row.status.Valid() || row.source == "" || row.category == "" || row.reported.IsZero() {
				t.Fatalf("bad row accepted: %+v", row)
			}
			if !row.handled.IsZero() && row.handled.Before(row.reported) || !row.closed.IsZero() && row.closed.Before(row.handled) {
				t.Fatalf("times out of order: %+v", row)
			}
		}
	})
}
