// Requests to the gridmap server.

// fetchJSON gets url as JSON: {body, version}, version being the data
// version the server names in its X-Gridmap-Version header. An error
// answer (a problem document, RFC 9457) becomes an Error with its detail.
export function fetchJSON(url) {
  return fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) {
    if (!r.ok) {
      return r.text().then(function (body) {
        var msg = body ? body.slice(0, 200) : '';
        try {
          var p = JSON.parse(body);
          if (p && (p.detail || p.title)) { msg = p.detail || p.title; }
        } catch (x) { /* not JSON */ }
        throw new Error('HTTP ' + r.status + (msg ? '：' + msg : ''));
      });
    }
    var v = r.headers.get('X-Gridmap-Version');
    return r.json().then(function (body) { return { body: body, version: v }; });
  });
}
