package tiles

import "hash/fnv"

// idMask keeps 53 bits, so that ids are exact as JavaScript numbers.
const idMask = 1<<53 - 1

// FeatureID returns the MVT feature id of the grid with the given code in
// the named layer: the 64-bit FNV-1a hash of layer, a zero byte and code,
// masked to its low 53 bits. It depends on nothing else, so a grid keeps
// its id in every tile and every dataset version while its layer name and
// code stay the same. (Codes themselves are not used: 18-digit micro grid
// codes exceed 2^53.) NewSource fails with ErrIDCollision if two codes of
// one layer collide.
func FeatureID(layer, code string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(layer))
	h.Write([]byte{0})
	h.Write([]byte(code))
	return h.Sum64() & idMask
}
