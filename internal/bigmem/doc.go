// Package bigmem allocates large arrays of plain values (no pointers)
// outside the Go heap, backed by transparent huge pages where Linux allows
// it: the lookup index and the encoded chain elements are read at random,
// one or a few cache lines per lookup, and with 4 KiB pages most of those
// reads would also miss the TLB.
package bigmem
