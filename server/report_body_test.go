package server

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestDecodeReport: each bad member of a report is a 400 naming it; a
// good report comes through whole.
func TestDecodeReport(t *testing.T) {
	for _, tc := range []struct {
		name, body   string
		code, field  string // want an error of this code and field
		wantCategory string
	}{
		{"good", `{"lon":120.28,"lat":31.9,"category":"治安","source":"110","reporter":{"name":"王","phone":"13812345678"},"occurred_at":"2025-06-01T08:00:00+08:00"}`, "", "", "治安"},
		{"gcj02", `{"lon":120.28,"lat":31.9,"crs":"gcj02","category":" 市容环境 ","source":"12345"}`, "", "", "市容环境"},
		{"no lon", `{"lat":31.9,"category":"a","source":"b"}`, "invalid_field", "lon", ""},
		{"no lat", `{"lon":120,"category":"a","source":"b"}`, "invalid_field", "lat", ""},
		{"lon as text", `{"lon":"120","lat":31.9,"category":"a","source":"b"}`, "invalid_field", "lon", ""},
		{"lat out of range", `{"lon":120,"lat":91,"category":"a","source":"b"}`, "invalid_field", "lat", ""},
		{"projected crs", `{"lon":120,"lat":31,"crs":"EPSG:4528","category":"a","source":"b"}`, "invalid_field", "crs", ""},
		{"unknown crs", `{"lon":120,"lat":31,"crs":"mars","category":"a","source":"b"}`, "invalid_field", "crs", ""},
		{"no category", `{"lon":120,"lat":31,"source":"b"}`, "invalid_field", "category", ""},
		{"blank source", `{"lon":120,"lat":31,"category":"a","source":"  "}`, "invalid_field", "source", ""},
		{"long description", `{"lon":120,"lat":31,"category":"a","source":"b","description":"` + strings.Repeat("字", maxDescription+1) + `"}`, "invalid_field", "description", ""},
		{"control character", `{"lon":120,"lat":31,"category":"a\u0001","source":"b"}`, "invalid_field", "category", ""},
		{"bad time", `{"lon":120,"lat":31,"category":"a","source":"b","occurred_at":"yesterday"}`, "invalid_field", "occurred_at", ""},
		{"unknown member", `{"lon":120,"lat":31,"category":"a","source":"b","priority":1}`, "unknown_field", "priority", ""},
		{"unknown reporter member", `{"lon":120,"lat":31,"category":"a","source":"b","reporter":{"email":"x"}}`, "unknown_field", "email", ""},
		{"reporter not an object", `{"lon":120,"lat":31,"category":"a","source":"b","reporter":"x"}`, "invalid_field", "reporter", ""},
		{"not an object", `[1,2]`, "bad_body", "", ""},
		{"two objects", `{"lon":120,"lat":31,"category":"a","source":"b"} {}`, "bad_body", "", ""},
		{"not json", `lon=120`, "bad_body", "", ""},
		{"empty", ``, "bad_body", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := decodeReport(strings.NewReader(tc.body))
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if in.Category != tc.wantCategory {
					t.Errorf("category %q, want %q", in.Category, tc.wantCategory)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != tc.code || e.Field != tc.field || e.Status != http.StatusBadRequest {
				t.Fatalf("error %#v, want %s naming %q", err, tc.code, tc.field)
			}
		})
	}
}

// FuzzDecodeReport: whatever the body, decodeReport returns a report whose
// point is in range and whose texts are valid and capped, or a 400/413
// Error; it never panics.
func FuzzDecodeReport(f *testing.F) {
	for _, s := range []string{
		`{"lon":120.28,"lat":31.9,"category":"治安","source":"110"}`,
		`{"lon":120.28,"lat":31.9,"crs":"bd09","category":"x","source":"wechat","external_ref":"A-1","reporter":{"name":"张三","phone":"13812345678"},"occurred_at":"2025-06-01T08:00:00Z","description":"路灯坏了"}`,
		`{"lon":1e400,"lat":0,"category":"a","source":"b"}`,
		`{"lon":null,"lat":null}`,
		`{}`, `[]`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := decodeReport(bytes.NewReader(body))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status != http.StatusBadRequest && e.Status != http.StatusRequestEntityTooLarge {
				t.Fatalf("error %v is no 400 or 413", err)
			}
			return
		}
		if in.Lon < -180 || in.Lon > 180 || in.Lat < -90 || in.Lat > 90 || in.Lon != in.Lon {
			t.Fatalf("point (%v, %v) out of range", in.Lon, in.Lat)
		}
		for _, s := range []string{in.Category, in.Source, in.ExternalRef, in.Description, in.Reporter.Name, in.Reporter.Phone} {
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxDescription {
				t.Fatalf("text %q passed the checks", s)
			}
		}
		if strings.TrimSpace(in.Category) == "" || strings.TrimSpace(in.Source) == "" {
			t.Fatal("a report without category or source passed")
		}
	})
}
