// The side panel's frame: folding, the status line and the version shown.
import { map } from './map.js';

// initPanel: the panel body folds away (on a narrow screen it starts folded
// so the map stays visible; the search box stays in reach).
export function initPanel() {
  var panel = document.getElementById('panel');
  setCollapsed(window.matchMedia && window.matchMedia('(max-width: 900px)').matches);
  document.getElementById('panel-toggle').addEventListener('click', function () {
    setCollapsed(panel.getAttribute('data-collapsed') !== 'true');
  });
}

// setCollapsed folds the panel body away, or opens it (to show what was
// asked for, an incident's detail on a phone).
export function setCollapsed(collapsed) {
  var btn = document.getElementById('panel-toggle');
  document.getElementById('panel').setAttribute('data-collapsed', collapsed ? 'true' : 'false');
  btn.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
  btn.textContent = collapsed ? '展开' : '收起';
}

// panelCover is how much of the map the open panel hides, as an L.Point in
// CSS pixels: its width on a wide screen (panel on the right), its height on
// a narrow one (at the bottom).
export function panelCover() {
  var panel = document.getElementById('panel');
  var r = panel.getBoundingClientRect(), m = map.getSize();
  if (!r.width || r.width > m.x * 0.6) {
    return L.point(0, r.height && r.height < m.y * 0.7 ? r.height : 0);
  }
  return L.point(r.width, 0);
}

// setVersion shows the data version drawn.
export function setVersion(v) { document.getElementById('version').textContent = String(v); }

// setStatus shows msg in the status line (hidden when msg is empty), as an
// error or a passing notice.
export function setStatus(msg, isError, isNotice) {
  var s = document.getElementById('status');
  s.textContent = msg;
  s.className = 'status' + (isError ? ' error' : '') + (isNotice ? ' notice' : '');
  s.hidden = !msg;
}

// leftCover is the width in CSS pixels of the map the incidents panel hides
// at the left on a wide screen (0 on a narrow one, where it is at the top).
export function leftCover() {
  var r = document.getElementById('incidents').getBoundingClientRect();
  return r.width && r.width < map.getSize().x * 0.4 ? r.right : 0;
}

// setLiveMark shows text in the live mark #id, coloured when on.
export function setLiveMark(id, on, text) {
  var s = document.getElementById(id);
  s.textContent = text;
  s.className = 'live' + (on ? ' on' : '');
}
