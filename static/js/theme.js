// The dark and light themes: ?theme=light|dark, else the last choice kept in
// localStorage, else dark.
import { state } from './state.js';

var THEME_KEY = 'gridmap.theme';

// initTheme sets the starting theme and makes #theme-toggle switch it,
// calling onChange after each switch.
export function initTheme(onChange) {
  var saved = null;
  var q = /[?&]theme=(dark|light)\b/.exec(window.location.search);
  if (q) {
    saved = q[1];
  } else {
    try { saved = window.localStorage.getItem(THEME_KEY); } catch (e) { saved = null; }
  }
  setTheme(saved === 'light' ? 'light' : 'dark');
  document.getElementById('theme-toggle').addEventListener('click', function () {
    setTheme(state.theme === 'dark' ? 'light' : 'dark');
    try { window.localStorage.setItem(THEME_KEY, state.theme); } catch (e) { /* private mode */ }
    onChange();
  });
}

function setTheme(t) {
  state.theme = t;
  document.body.classList.toggle('theme-dark', t === 'dark');
  document.body.classList.toggle('theme-light', t !== 'dark');
  document.getElementById('theme-toggle').textContent = t === 'dark' ? '浅色' : '深色';
}
