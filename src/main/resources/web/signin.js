/* The sign-in page: POST /api/session (docs/access.md), then back to where the visitor was going. */
import { $ } from './dom.js';

const form = $('#signin');
const error = $('#signin-error');
const submit = $('#signin-submit');

/**
 * Only a page of this site: never another host (an open redirect would lend Encore's name to a
 * phishing page). Resolved as the browser would resolve it, so "/\t/evil.example" is caught too.
 */
function next() {
  const n = new URLSearchParams(location.search).get('next') || '/';
  try {
    const u = new URL(n, location.origin);
    return u.origin === location.origin ? u.pathname + u.search + u.hash : '/';
  } catch {
    return '/';
  }
}

function show(message) {
  error.textContent = message;
  error.hidden = false;
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const user = $('#signin-user').value.trim();
  const password = $('#signin-password').value;
  if (!user || !password) {
    show('Enter your name and your password.');
    return;
  }
  submit.disabled = true;
  error.hidden = true;
  try {
    const res = await fetch('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ user, password }),
    });
    if (res.ok) {
      location.assign(next());
      return;
    }
    let message = `The server answered ${res.status}`;
    try { message = (await res.json()).error || message; } catch { /* not JSON */ }
    if (res.status === 429) {
      const wait = Number(res.headers.get('Retry-After'));
      if (wait > 0) message += ` (in about ${Math.ceil(wait / 60)} min)`;
    }
    show(message);
    $('#signin-password').select();
  } catch {
    show('Could not reach the Encore server.');
  } finally {
    submit.disabled = false;
  }
});
