/* The JSON API (docs/insights.md), as the dashboard reads it. */

// data-value must carry the number exactly as the API wrote it; JSON.parse source text access
// (reviver context.source) gives it where the browser supports it, else we fall back to String(n).
const rawNumbers = new WeakMap();
function parseJson(text) {
  return JSON.parse(text, function reviver(key, value, context) {
    if (typeof value === 'number' && context && typeof context.source === 'string') {
      let raw = rawNumbers.get(this);
      if (!raw) { raw = Object.create(null); rawNumbers.set(this, raw); }
      raw[key] = context.source;
    }
    return value;
  });
}

/** A number of an answer's object as the API wrote it ('null' when there is none). */
export const rawOf = (obj, key) => {
  const v = obj ? obj[key] : undefined;
  if (v === null || v === undefined) return 'null';
  const raw = rawNumbers.get(obj);
  return raw && key in raw ? raw[key] : String(v);
};

// the session's CSRF token (from /api/me): every change the page asks for carries it
let csrfToken = null;
export const setCsrfToken = (token) => { csrfToken = token; };

/** The sign-in page, and back here after it: the session ended, or there never was one. */
export function toSignIn() {
  location.assign(`signin?next=${encodeURIComponent(location.pathname + location.search)}`);
}

/** The answer to a GET; an error says what the API said was wrong. */
export const getJson = (url, signal) => send('GET', url, undefined, signal);

/** A change (PUT, POST, DELETE) with a JSON body or none; null when the answer has no body (204). */
export const sendJson = (method, url, body) => send(method, url, body);

async function send(method, url, payload, signal) {
  const headers = { Accept: 'application/json' };
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(url, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload), signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new Error('Could not reach the Encore server. Is `./encore serve` running?');
  }
  if (res.status === 401) {
    toSignIn();
    throw new Error('Your session has ended: sign in again.');
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let body = null;
  try { body = text ? parseJson(text) : null; } catch { body = null; }
  if (!res.ok) {
    throw new Error(body && body.error ? body.error : `The server answered ${res.status} ${res.statusText}`.trim());
  }
  if (body === null) throw new Error('The server sent an answer that is not JSON.');
  return body;
}
