package incidents

import (
	"github.com/paulmach/orb/encoding/mvt/vectortile"

	"github.com/gridmap/gridmap/incident"
)

// The property keys of the two kinds of point, in the order of the layer's
// key table: a tile holds one kind only.
var (
	gridKeys     = []string{"code", "layer", "name", "count", "open", "overdue"}
	incidentKeys = []string{"id", "status", "category", "source", "overdue"}
)

// encoder builds the one layer of an incident tile with orb's MVT protobuf
// types (orb/encoding/mvt/vectortile, as package tiles writes its tiles):
// a key table fixed per kind of point, a value table of the tile's
// distinct values, one MoveTo per feature. Features, tags, geometry and
// values come from slabs sized by reserve, so that a tile of n points
// allocates a few slices, not several objects per point.
type encoder struct {
	keys    []string
	values  []*vectortile.Tile_Value
	strIDs  map[string]uint32
	intIDs  map[int64]uint32
	boolIDs [2]uint32 // +1; 0: not yet in values

	features []*vectortile.Tile_Feature
	feats    []vectortile.Tile_Feature // slab of features
	vals     []vectortile.Tile_Value   // slab of values
	nums     []int64                   // slab of the values' numbers
	ids      []uint64                  // slab of feature ids
	words    []uint32                  // slab of tags and geometry
}

// pointType is the MVT geometry type of every feature.
var pointType = vectortile.Tile_POINT

// reserve makes room for n features of the given keys.
func (e *encoder) reserve(n int, keys []string) {
	e.keys = keys
	e.features = make([]*vectortile.Tile_Feature, 0, n)
	e.feats = make([]vectortile.Tile_Feature, 0, n)
	e.vals = make([]vectortile.Tile_Value, 0, n+16)
	e.nums = make([]int64, 0, n+16)
	e.ids = make([]uint64, 0, n)
	e.words = make([]uint32, 0, n*(2*len(keys)+3))
}

// grid adds the point of a grid at tile coordinates px, py.
func (e *encoder) grid(fid uint64, px, py int32, code, layer, name string, fg figures) {
	start := len(e.words)
	e.words = append(e.words, 0, e.str(code), 1, e.str(layer), 2, e.str(name),
		3, e.int(int64(fg.count)), 4, e.int(int64(fg.open)), 5, e.int(int64(fg.overdue)))
	e.add(fid, px, py, start)
}

// incident adds the point of one incident at tile coordinates px, py.
func (e *encoder) incident(id incident.ID, px, py int32, status, category, source string, overdue bool) {
	start := len(e.words)
	e.words = append(e.words, 0, e.unique(int64(id)), 1, e.str(status), 2, e.str(category),
		3, e.str(source), 4, e.bool(overdue))
	e.add(uint64(id), px, py, start)
}

// add appends a Point feature whose tags are e.words[start:].
func (e *encoder) add(id uint64, px, py int32, start int) {
	tags := e.words[start:len(e.words):len(e.words)]
	g := len(e.words)
	// MoveTo (command 1) with one point: zigzag-encoded x and y.
	e.words = append(e.words, 1<<3|1, zigzag(px), zigzag(py))
	e.ids = append(e.ids, id)
	e.feats = append(e.feats, vectortile.Tile_Feature{Id: &e.ids[len(e.ids)-1], Tags: tags, Type: &pointType,
		Geometry: e.words[g:len(e.words):len(e.words)]})
	e.features = append(e.features, &e.feats[len(e.feats)-1])
}

func zigzag(v int32) uint32 { return uint32(v<<1) ^ uint32(v>>31) }

// value appends v to the value table and returns its number.
func (e *encoder) value(v vectortile.Tile_Value) uint32 {
	e.vals = append(e.vals, v)
	e.values = append(e.values, &e.vals[len(e.vals)-1])
	return uint32(len(e.values) - 1)
}

func (e *encoder) str(v string) uint32 {
	if i, ok := e.strIDs[v]; ok {
		return i
	}
	return e.newStr(v)
}

// newStr adds v to the value table (apart from str, whose argument would
// otherwise move to the heap on every call).
func (e *encoder) newStr(v string) uint32 {
	if e.strIDs == nil {
		e.strIDs = map[string]uint32{}
	}
	i := e.value(vectortile.Tile_Value{StringValue: &v})
	e.strIDs[v] = i
	return i
}

func (e *encoder) int(v int64) uint32 {
	if i, ok := e.intIDs[v]; ok {
		return i
	}
	if e.intIDs == nil {
		e.intIDs = map[int64]uint32{}
	}
	i := e.unique(v)
	e.intIDs[v] = i
	return i
}

// unique adds v, which no other feature of the tile has (an incident id),
// without looking it up.
func (e *encoder) unique(v int64) uint32 {
	e.nums = append(e.nums, v)
	return e.value(vectortile.Tile_Value{SintValue: &e.nums[len(e.nums)-1]})
}

func (e *encoder) bool(v bool) uint32 {
	b := 0
	if v {
		b = 1
	}
	if e.boolIDs[b] == 0 {
		e.boolIDs[b] = e.value(vectortile.Tile_Value{BoolValue: &boolValues[b]}) + 1
	}
	return e.boolIDs[b] - 1
}

// boolValues are the values bool points to: false, true.
var boolValues = [2]bool{false, true}

// marshal returns the protobuf of the tile, nil when it has no feature.
func (e *encoder) marshal() ([]byte, error) {
	if len(e.features) == 0 {
		return nil, nil
	}
	name, version, extent := LayerName, uint32(2), uint32(Extent)
	vt := &vectortile.Tile{Layers: []*vectortile.Tile_Layer{{
		Version: &version, Name: &name, Extent: &extent,
		Features: e.features, Keys: e.keys, Values: e.values,
	}}}
	return vt.Marshal()
}
