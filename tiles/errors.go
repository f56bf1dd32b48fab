package tiles

import "errors"

// ErrTileOutOfRange is wrapped by Source.Tile when z is outside 0..MaxZoom
// or x, y are outside 0..2^z-1.
var ErrTileOutOfRange = errors.New("tile out of range")

// ErrInvalidOptions is wrapped by Options.Validate and NewSource when an
// option is out of its range.
var ErrInvalidOptions = errors.New("invalid tile options")

// ErrIDCollision is wrapped by NewSource when two grids of one layer get the
// same feature id (FeatureID); with 53-bit hashes this is not expected.
var ErrIDCollision = errors.New("feature id collision")
