/* The selected user's Spotify connection, from /api/users (docs/connect.md): a Connect button when
   there is none, who is connected when there is, and a "needs to reconnect" notice with a Reconnect
   button when Spotify stopped renewing the access. */
import { $, el } from './dom.js';

const when = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const fmtWhen = (iso) => (iso ? when.format(new Date(iso)) : '');

export function showConnection(users, userId) {
  const bar = $('#spotify');
  const status = $('#spotify-status');
  const button = $('#spotify-connect');
  const u = users.find((x) => x.user === userId);
  if (!u) {
    bar.dataset.status = '';
    return;
  }
  const c = u.spotify || null;
  button.href = `connect?user=${encodeURIComponent(u.user)}`;
  if (!c) {
    bar.dataset.status = 'absent';
    status.replaceChildren('Spotify is not connected for ', el('strong', { text: u.user }),
      ': connect it and Encore reads the listening every hour, between exports.');
    button.textContent = 'Connect Spotify';
    button.hidden = false;
  } else if (c.status === 'needs_reconnect') {
    bar.dataset.status = 'needs_reconnect';
    status.replaceChildren(`Spotify needs to reconnect since ${fmtWhen(c.reconnect_since)}`,
      c.reconnect_reason ? ` (Spotify said: ${c.reconnect_reason})` : '',
      '. Until then Encore reads no new listening for ', el('strong', { text: u.user }), '.');
    status.dataset.since = c.reconnect_since || '';
    button.textContent = 'Reconnect Spotify';
    button.hidden = false;
  } else {
    bar.dataset.status = 'connected';
    status.replaceChildren('Spotify connected: ', el('strong', { text: c.display_name || c.spotify_user }),
      ` (${c.spotify_user}) since ${fmtWhen(c.connected_at)}; listening is read every hour.`);
    button.hidden = true;
  }
}
