package router

import (
	"testing"

	"github.com/gridmap/gridmap/lookup"
)

// FuzzReadBatch: any body in any format is split into records or refused
// (errUnread: the first shard then answers it), never a panic; the
// records of a split body, written again as one shard's part, split into
// the same points.
func FuzzReadBatch(f *testing.F) {
	f.Add([]byte(`{"points":[{"id":1,"lon":120.3,"lat":31.9},{"id":"b","lon":-1e-3,"lat":0}]}`), uint8(lookup.JSON))
	f.Add([]byte("{\"id\":1,\"lon\":120.3,\"lat\":31.9}\n\n{\"lon\":1,\"lat\":2}\n"), uint8(lookup.NDJSON))
	f.Add([]byte("id,lon,lat\n\"a,b\",120.3,31.9\nc,1,2"), uint8(lookup.CSV))
	f.Add([]byte("lat,id,lon\r\n31.9,x,120.3\r\n"), uint8(lookup.CSV))
	f.Fuzz(func(t *testing.T, body []byte, format uint8) {
		fm := lookup.Format(format % 3)
		in, err := readBatch(body, fm)
		if err != nil {
			return
		}
		idx := make([]int, len(in.recs))
		for i := range idx {
			idx[i] = i
		}
		again, err := readBatch(in.encode(fm, idx), fm)
		if err != nil {
			t.Fatalf("a split batch written again does not split: %v", err)
		}
		if len(again.recs) != len(in.recs) {
			t.Fatalf("%d records, %d once written again", len(in.recs), len(again.recs))
		}
		for i := range in.recs {
			a, b := in.recs[i].p, again.recs[i].p
			if a != b && !(a[0] != a[0] || a[1] != a[1]) { // NaN never equals itself
				t.Fatalf("record %d: %v, %v once written again", i, a, b)
			}
		}
	})
}
