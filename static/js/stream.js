// The incidents live: GET /api/v1/stream (Server-Sent Events; the browser
// resumes with Last-Event-ID after a break). A new incident is marked on
// the map and listed first; a step updates the lists and the detail shown;
// counts recolour the grids. A reset event after a break (the server no
// longer has the events this client missed) reads the figures and lists
// anew; the one that opens a first connection is the page's own start. window.gridmapStream is
// "open" or "error", window.gridmapStreamEvents counts the events taken.
import { withKey, holdStream } from './api.js';
import { applyCounts, metric, setLevel } from './metric.js';
import { feedIncident, loadFeed } from './feed.js';
import { refreshIncident } from './detail.js';
import { pulse } from './pulse.js';
import { refreshOverlay } from './overlay.js';
import { setLiveMark } from './panel.js';

var resets = 0;

// followIncidents opens the stream (closed while the page is in the
// back/forward cache: api.js holdStream).
export function followIncidents() {
  window.gridmapStreamEvents = 0;
  if (!window.EventSource) { window.gridmapStream = 'error'; return; }
  holdStream(open);
}

// open opens the stream with its handlers: a new stream starts with a
// reset event, so a reopened page reads its figures and lists anew.
function open() {
  var es = new EventSource(withKey('/api/v1/stream'));
  es.addEventListener('open', function () { setState('open'); });
  es.addEventListener('error', function () { setState('error'); });
  es.addEventListener('incident', take(function (ev) {
    if (!ev.incident) { return; }
    feedIncident(ev.incident, true);
    pulse(ev.incident);
    refreshOverlay();
  }));
  es.addEventListener('transition', take(function (ev) {
    if (!ev.incident) { return; }
    feedIncident(ev.incident, false);
    refreshIncident(ev.incident.id);
    refreshOverlay();
  }));
  es.addEventListener('counts', take(function (ev) { applyCounts(ev.counts); }));
  es.addEventListener('reset', take(function () {
    if (!window.gridmapLastEventId && !resets++) { return; }
    if (metric.level) { setLevel(metric.level); }
    loadFeed();
  }));
  return es;
}

// setState shows whether the stream is open.
function setState(s) {
  window.gridmapStream = s;
  setLiveMark('stream-state', s === 'open', s === 'open' ? '● 实时' : '○ 重连中');
}

// take wraps a handler of an event's JSON data.
function take(fn) {
  return function (e) {
    var ev;
    try { ev = JSON.parse(e.data || '{}'); } catch (x) { return; }
    window.gridmapStreamEvents++;
    if (e.lastEventId) { window.gridmapLastEventId = e.lastEventId; }
    fn(ev);
  };
}
