// Requests to the gridmap server, with the operator's API key when the
// server requires keys.

// KEY is the API key the page was opened with (?key=TOKEN), kept for this
// tab in sessionStorage and taken out of the address bar, or null.
var KEY = takeKey();

function takeKey() {
  try {
    var params = new URLSearchParams(window.location.search);
    var k = params.get('key');
    if (!k) { return window.sessionStorage.getItem('gridmap.key'); }
    window.sessionStorage.setItem('gridmap.key', k);
    params.delete('key');
    var q = params.toString();
    window.history.replaceState(null, '', window.location.pathname + (q ? '?' + q : '') + window.location.hash);
    return k;
  } catch (e) {
    return null; // no storage or history: the key lives as long as the page
  }
}

// withKey returns url with the page's API key as its key parameter (the
// server takes ?key= on GET read routes, as tile and event requests cannot
// carry a header), or url itself when the page has no key.
export function withKey(url) {
  if (!KEY) { return url; }
  return url + (url.indexOf('?') >= 0 ? '&' : '?') + 'key=' + encodeURIComponent(KEY);
}

// fetchJSON gets url as JSON: {body, version}, version being the data
// version the server names in its X-Gridmap-Version header. An error
// answer (a problem document, RFC 9457) becomes an Error with its detail.
export function fetchJSON(url) {
  return fetch(withKey(url), { headers: { Accept: 'application/json' } }).then(answer);
}

// postJSON posts body as JSON to url with the page's API key as a bearer
// token (the server takes ?key= on GET routes only); the answer as fetchJSON's.
export function postJSON(url, body) {
  var headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
  if (KEY) { headers.Authorization = 'Bearer ' + KEY; }
  return fetch(url, { method: 'POST', headers: headers, body: JSON.stringify(body) }).then(answer);
}

// answer reads a response r: {body, version}, or an Error carrying the
// problem's detail, its status and its code.
function answer(r) {
  if (!r.ok) {
    return r.text().then(function (body) {
      var msg = body ? body.slice(0, 200) : '', code = '';
      try {
        var p = JSON.parse(body);
        if (p && (p.detail || p.title)) { msg = p.detail || p.title; }
        if (p && p.code) { code = p.code; }
      } catch (x) { /* not JSON */ }
      var err = new Error('HTTP ' + r.status + (msg ? '：' + msg : ''));
      err.status = r.status;
      err.code = code;
      throw err;
    });
  }
  var v = r.headers.get('X-Gridmap-Version');
  return r.json().then(function (body) { return { body: body, version: v }; });
}

// hasKey reports whether the page was given an API key.
export function hasKey() { return !!KEY; }

// holdStream keeps an event stream made by open() (an EventSource), closed
// while the page is in the back/forward cache — a browser has six
// connections to a server, and the streams of cached pages would hold them —
// and made anew when the page is shown again.
export function holdStream(open) {
  var es = open();
  window.addEventListener('pagehide', function () { es.close(); });
  window.addEventListener('pageshow', function (e) {
    if (e.persisted) { es = open(); }
  });
}
