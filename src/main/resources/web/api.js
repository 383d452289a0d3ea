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

/** The answer to a GET; an error says what the API said was wrong. */
export async function getJson(url, signal) {
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new Error('Could not reach the Encore server. Is `./encore serve` running?');
  }
  const text = await res.text();
  let body = null;
  try { body = text ? parseJson(text) : null; } catch { body = null; }
  if (!res.ok) {
    throw new Error(body && body.error ? body.error : `The server answered ${res.status} ${res.statusText}`.trim());
  }
  if (body === null) throw new Error('The server sent an answer that is not JSON.');
  return body;
}
