// Who the page acts as: GET /api/v1/me for the page's key ({role, name,
// staff, personal}); without a key, or when the server does not say, no
// one (the page then shows no action buttons).
import { fetchJSON, hasKey } from './api.js';

var who = null;

// loadMe asks the server who the page's key is; it resolves either way.
export function loadMe() {
  if (!hasKey()) { return Promise.resolve(null); }
  return fetchJSON('/api/v1/me').then(function (r) {
    who = r.body || null;
    window.gridmapMe = who;
    return who;
  }, function () { return null; });
}

// me is who the page acts as, or null.
export function me() { return who; }
