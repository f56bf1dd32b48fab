package tiles

import (
	"fmt"
	"maps"
	"slices"
)

// Lazy is the Source of a dataset version that may still be being built:
// a replica that serves its tiles from a published Archive needs no Source
// to be ready, so it builds one in the background (BuildLazy) for the
// zooms the archive lacks. Until then its TileJSON is the one recorded
// with the archive. Safe for concurrent use.
type Lazy struct {
	done chan struct{}
	src  *Source
	err  error
	tj   *TileJSON // known before the Source is, or nil
}

// ReadySource returns the Lazy of a Source built already.
func ReadySource(s *Source) *Lazy {
	l := &Lazy{done: make(chan struct{}), src: s}
	close(l.done)
	return l
}

// BuildLazy starts build on a goroutine of its own and returns at once.
// tj, when not nil, is the TileJSON the Source will give (as recorded in a
// published archive: TileJSON("")), answered before it is built.
func BuildLazy(tj *TileJSON, build func() (*Source, error)) *Lazy {
	l := &Lazy{done: make(chan struct{}), tj: tj}
	go func() {
		defer close(l.done)
		l.src, l.err = build()
		if l.err == nil && l.src == nil {
			l.err = fmt.Errorf("%w: no source built", ErrInvalidOptions)
		}
	}()
	return l
}

// Source returns the Source, waiting for it to be built, or the error of
// its build.
func (l *Lazy) Source() (*Source, error) {
	<-l.done
	return l.src, l.err
}

// Built returns the Source when it is built, else nil (without waiting).
func (l *Lazy) Built() *Source {
	select {
	case <-l.done:
		return l.src
	default:
		return nil
	}
}

// TileJSON returns the TileJSON 3.0.0 document of the Source with tileURL
// as its one tile URL (Source.TileJSON): at once when the Source or the
// archive's record of it is there, else once the Source is built.
func (l *Lazy) TileJSON(tileURL string) (TileJSON, error) {
	if s := l.Built(); s != nil || l.tj == nil {
		s, err := l.Source()
		if err != nil {
			return TileJSON{}, err
		}
		return s.TileJSON(tileURL), nil
	}
	tj := *l.tj
	tj.Tiles = []string{tileURL}
	tj.VectorLayers = slices.Clone(tj.VectorLayers)
	for i := range tj.VectorLayers {
		tj.VectorLayers[i].Fields = maps.Clone(tj.VectorLayers[i].Fields)
	}
	return tj, nil
}

// WarmZooms returns Source.WarmZooms, from the recorded TileJSON while the
// Source is being built.
func (l *Lazy) WarmZooms() (from, to int) {
	if s := l.Built(); s != nil || l.tj == nil {
		if s, err := l.Source(); err == nil {
			return s.WarmZooms()
		}
		return 0, -1
	}
	z := int(l.tj.Center[2])
	return max(z-1, 0), min(z+1, MaxZoom)
}
