/* The listening gaps notice: stretches of time whose plays the Spotify Web API may have left out
   (recently-played holds the last 50 only), until an export fills them. Times in the user's zone. */
import { getJson } from './api.js';

function sentence(gap, zone) {
  const from = new Date(gap.from);
  const to = new Date(gap.to);
  const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
  const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', timeZone: zone });
  const sameDay = day.format(from) === day.format(to)
    && new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: zone }).format(from)
      === new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: zone }).format(to);
  const span = sameDay
    ? `between ${time.format(from)} and ${time.format(to)} on ${day.format(from)}`
    : `between ${day.format(from)}, ${time.format(from)} and ${day.format(to)}, ${time.format(to)}`;
  return `${span[0].toUpperCase()}${span.slice(1)} some plays may be missing: an export will fill this.`;
}

/** Shows the user's open gaps in `element` (hidden when there are none); the users list says whether to ask. */
export async function showGaps(element, user, users) {
  const u = users.find((x) => x.user === user);
  element.replaceChildren();
  element.hidden = true;
  if (!u || !u.open_gaps) return;
  let answer;
  try {
    answer = await getJson(`api/users/${encodeURIComponent(user)}/gaps`);
  } catch (e) {
    return; // the notice is a hint; the dashboard itself stands without it
  }
  const gaps = Array.isArray(answer.gaps) ? answer.gaps : [];
  for (const g of gaps) {
    const p = document.createElement('p');
    p.textContent = sentence(g, answer.time_zone || 'UTC');
    element.append(p);
  }
  element.hidden = gaps.length === 0;
}
