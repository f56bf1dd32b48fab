// Chinese names of the layers, levels and grid types the server uses.

// LAYER_NAMES names the usual tile layer ids.
export var LAYER_NAMES = {
  county: '区县', counties: '区县', towns: '镇街', town: '镇街', villages: '村社区', village: '村社区',
  grids: '网格', grid: '网格', microgrids: '微网格', micro: '微网格',
  compounds: '小区', compound: '小区', buildings: '楼栋', building: '楼栋'
};

var LEVEL_NAMES = {
  county: '区县', town: '镇街', village: '村社区', grid: '网格', micro: '微网格', compound: '小区', building: '楼栋'
};

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

// STATUS_NAMES names the statuses of an incident's loop.
export var STATUS_NAMES = {
  reported: '已上报', assessed: '已研判', dispatched: '已派遣', handling: '处置中', handled: '已处置',
  feedback: '已回访', closed: '已办结', returned: '已退回', rejected: '不予受理'
};

// ACTION_NAMES names the steps of the loop.
export var ACTION_NAMES = {
  report: '上报', assess: '研判', dispatch: '派遣', accept: '接单', handle: '处置完成', feedback: '回访评价',
  close: '办结', 'return': '退回', reject: '不予受理', escalate: '升级', overdue: '超期督办', relocate: '重新定位'
};

// SOURCE_NAMES names the intake channels.
export var SOURCE_NAMES = {
  '12345': '12345热线', '110': '110', grid_worker: '网格员', wechat: '微信', sensor: '感知设备', patrol: '巡查'
};

// statusName, actionName and sourceName name a value, or give it raw.
export function statusName(s) { return STATUS_NAMES[s] || String(s || '–'); }
export function actionName(a) { return ACTION_NAMES[a] || String(a || '–'); }
export function sourceName(s) { return SOURCE_NAMES[s] || String(s || '–'); }
