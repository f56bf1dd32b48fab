package incidents

import (
	"github.com/gogo/protobuf/proto"
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
// types: a key table fixed per kind of point, a value table of the tile's
// distinct values, and one MoveTo per feature.
type encoder struct {
	keys     []string
	values   []*vectortile.Tile_Value
	strIDs   map[string]uint32
	intIDs   map[int64]uint32
	boolIDs  [2]uint32 // +1; 0: not yet in values
	features []*vectortile.Tile_Feature
}

// pointType is the MVT geometry type of every feature.
var pointType = vectortile.Tile_POINT

// grid adds the point of a grid at tile coordinates px, py.
func (e *encoder) grid(fid uint64, px, py int32, code, layer, name string, fg figures) {
	e.keys = gridKeys
	tags := []uint32{
		0, e.str(code), 1, e.str(layer), 2, e.str(name),
		3, e.int(int64(fg.count)), 4, e.int(int64(fg.open)), 5, e.int(int64(fg.overdue)),
	}
	e.add(fid, px, py, tags)
}

// incident adds the point of one incident at tile coordinates px, py.
func (e *encoder) incident(id incident.ID, px, py int32, status, category, source string, overdue bool) {
	e.keys = incidentKeys
	tags := []uint32{0, e.int(int64(id)), 1, e.str(status), 2, e.str(category), 3, e.str(source), 4, e.bool(overdue)}
	e.add(uint64(id), px, py, tags)
}

// add appends a Point feature.
func (e *encoder) add(id uint64, px, py int32, tags []uint32) {
	// MoveTo (command 1) with one point: zigzag-encoded x and y.
	geom := []uint32{1<<3 | 1, zigzag(px), zigzag(py)}
	e.features = append(e.features, &vectortile.Tile_Feature{Id: &id, Tags: tags, Type: &pointType, Geometry: geom})
}

func zigzag(v int32) uint32 { return uint32(v<<1) ^ uint32(v>>31) }

func (e *encoder) str(v string) uint32 {
	if i, ok := e.strIDs[v]; ok {
		return i
	}
	if e.strIDs == nil {
		e.strIDs = map[string]uint32{}
	}
	i := uint32(len(e.values))
	e.values = append(e.values, &vectortile.Tile_Value{StringValue: &v})
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
	i := uint32(len(e.values))
	e.values = append(e.values, &vectortile.Tile_Value{SintValue: &v})
	e.intIDs[v] = i
	return i
}

func (e *encoder) bool(v bool) uint32 {
	b := 0
	if v {
		b = 1
	}
	if e.boolIDs[b] == 0 {
		e.values = append(e.values, &vectortile.Tile_Value{BoolValue: &v})
		e.boolIDs[b] = uint32(len(e.values))
	}
	return e.boolIDs[b] - 1
}

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
	return proto.Marshal(vt)
}
