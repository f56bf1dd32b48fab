// Chinese names of the layers, levels and grid types the server uses.

// LAYER_NAMES names the usual tile layer ids.
export var LAYER_NAMES = {
  county: '区县', counties: '区县', towns: '镇街', town: '镇街', villages: '村社区', village: '村社区',
  grids: '网格', grid: '网格', microgrids: '微网格', micro: '微网格'
};

var LEVEL_NAMES = { county: '区县', town: '镇街', village: '村社区', grid: '网格', micro: '微网格' };

var GRID_TYPES = { urban: '城镇', rural: '农村', dedicated: '专属', mixed: '城乡结合', industrial: '园区' };

// levelName names a grid's level, else its layer, else the raw ids.
export function levelName(level, layer) {
  return LEVEL_NAMES[level] || LAYER_NAMES[layer] || level || layer;
}

// gridType names a grid_type property with the raw value after it.
export function gridType(t) {
  if (t === undefined || t === null || t === '') { return '–'; }
  return GRID_TYPES[t] ? GRID_TYPES[t] + '（' + t + '）' : String(t);
}
