// Timings of the wall for measurements (window.gridmapMarks): firstPaint,
// the milliseconds from navigation to the first view drawn with its
// colours (and its parts: tiles, the first tiles drawn, and figures, the
// first level's figures read and applied), and levelSwitch, from a level
// switch to its colours drawn (levelFetch of it: the figures' request,
// from its start to its JSON read).

var started = {};

window.gridmapMarks = {};

// markStart notes that what began now.
export function markStart(what) { started[what] = performance.now(); }

// markEnd records, on the frame after this one (when the canvas is drawn),
// the milliseconds since markStart(what), or since navigation when it was
// never started.
export function markEnd(what) {
  var t0 = Object.prototype.hasOwnProperty.call(started, what) ? started[what] : 0;
  delete started[what];
  requestAnimationFrame(function () {
    requestAnimationFrame(function () {
      window.gridmapMarks[what] = Math.round(performance.now() - t0);
    });
  });
}
