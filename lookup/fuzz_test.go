package lookup_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/gridmap/gridmap/lookup"
)

// The batch readers take untrusted input: they must never panic, must answer
// with valid JSON/NDJSON, and must either succeed or return an InputError.

func fuzzBatch(f *testing.F, format lookup.Format, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	e := testEncoder(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		n, err := e.Batch(bytes.NewReader(in), &out, format, nil)
		var ie *lookup.InputError
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("error %v is not an InputError", err)
		}
		switch format {
		case lookup.JSON:
			if !json.Valid(out.Bytes()) {
				t.Fatalf("answer is not JSON: %q", out.Bytes())
			}
		case lookup.NDJSON:
			for _, l := range bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n")) {
				if len(l) > 0 && !json.Valid(l) {
					t.Fatalf("line is not JSON: %q", l)
				}
			}
		case lookup.CSV:
			// the answer is CSV that reads back, a header and one record
			// per point answered
			r := csv.NewReader(bytes.NewReader(out.Bytes()))
			r.FieldsPerRecord = -1
			recs, rerr := r.ReadAll()
			if rerr != nil {
				t.Fatalf("answer is not CSV: %v: %q", rerr, out.Bytes())
			}
			if len(out.Bytes()) > 0 && len(recs) != n+1 {
				t.Fatalf("%d records for %d points: %q", len(recs), n, out.Bytes())
			}
		}
	})
}

func FuzzBatchJSON(f *testing.F) {
	fuzzBatch(f, lookup.JSON, `{"points":[{"id":"a","lon":120.5,"lat":31.5}]}`, `{"points":[]}`, `{"x":1}`, `[`)
}

func FuzzBatchNDJSON(f *testing.F) {
	fuzzBatch(f, lookup.NDJSON, "{\"id\":\"a\",\"lon\":120.5,\"lat\":31.5}\n", "{\"lon\":1e400,\"lat\":0}\n", "{\"id\":\"\\u00e9\",\"lon\":-0,\"lat\":-0.0}", "{\"id\":1,\"lon\":120,\"lat\":31,\"lon\":\"x\"}")
}

func FuzzBatchCSV(f *testing.F) {
	fuzzBatch(f, lookup.CSV, "id,lon,lat\n1,120.5,31.5\n", "id,lon,lat\n\"a\"\"b\",1,2\n", "lat,lon,id\n", "\xef\xbb\xbfid,lon,lat\r\n1,2,3\r\n", "id,lon,lat\n\"a\nb\",120.5,31.5\n2,121.5,31.5\n", "id,lon,lat\n\"open,1,2\n")
}

var _ = io.EOF
