package lookup_test

import (
	"bytes"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/lookup"
)

// TestEncodedAheadSameBytes holds the chain elements encoded ahead (small
// datasets) to those encoded on first use (a province), for every grid of
// every Jiangyin layer with both boundary flags, and checks the limits that
// choose between the two.
func TestEncodedAheadSameBytes(t *testing.T) {
	x := jiangyin(t).Index()
	d := x.Dataset()
	ahead := lookup.NewEncoderLimitsForTest(x, "v1", 1<<30, 1<<30)
	lazy := lookup.NewEncoderLimitsForTest(x, "v1", 0, 0)
	if !ahead.EncodedAheadForTest() || lazy.EncodedAheadForTest() {
		t.Fatal("limits do not choose the encoding")
	}
	if lookup.NewEncoderLimitsForTest(x, "v1", 1<<30, 100_000).EncodedAheadForTest() {
		t.Fatal("a byte limit below the dataset's elements still encoded ahead")
	}
	if !lookup.NewEncoder(x, "v1").EncodedAheadForTest() {
		t.Fatal("Jiangyin is not encoded ahead by NewEncoder")
	}
	n := 0
	for li, l := range d.Layers {
		for gi := range l.Grids {
			for _, flag := range []bool{false, true} {
				h := index.Hit{Layer: int32(li), Grid: int32(gi), Boundary: flag}
				a, b := ahead.AppendHit(nil, h), lazy.AppendHit(nil, h)
				if !bytes.Equal(a, b) {
					t.Fatalf("layer %s grid %d: ahead %s, on first use %s", l.Name, gi, a, b)
				}
				n++
			}
		}
	}
	if n < 17000 {
		t.Fatalf("only %d elements compared", n)
	}
}

// TestAnswersWhileEncodingAhead: an encoder answers from the moment it is
// made, while it encodes ahead in the background, and its answers then are
// those it gives once done: two goroutines look up every Jiangyin micro
// grid's chain (and every element of the grids layer) at once, racing the
// background encoding.
func TestAnswersWhileEncodingAhead(t *testing.T) {
	x := jiangyin(t).Index()
	d := x.Dataset()
	leaf := d.LayerIndex(d.Leaves()[0].Name)
	chain := func(e *lookup.Encoder, gi int) []byte {
		hits := x.AppendChainOf(nil, leaf, gi)
		b := []byte{}
		for _, h := range hits {
			b = e.AppendHit(b, h)
		}
		return b
	}
	e := lookup.NewEncoder(x, "v1")
	early := make([][][]byte, 2)
	var wg sync.WaitGroup
	for w := range early {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for gi := range d.Layers[leaf].Grids {
				early[w] = append(early[w], chain(e, gi))
			}
		}()
	}
	wg.Wait()
	if !e.EncodedAheadForTest() {
		t.Fatal("Jiangyin not encoded ahead")
	}
	for w := range early {
		for gi, b := range early[w] {
			if want := chain(e, gi); !bytes.Equal(b, want) {
				t.Fatalf("worker %d grid %d: while encoding %s, after %s", w, gi, b, want)
			}
		}
	}
}
