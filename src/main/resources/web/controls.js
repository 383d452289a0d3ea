/* The controls' menus, and the selection in the page's address (?user=&period=&rank=...). */
import { el } from './dom.js';
import { fmtInt, periodLabel, yearIn } from './format.js';

/** The listener menu; a user from the address who has no data stays in, so the API can say so. */
export function fillUsers(select, users, selected) {
  select.replaceChildren();
  for (const u of users) {
    const streams = Number(u.streams) || 0;
    select.append(el('option', { value: u.user, text: `${u.user} · ${fmtInt(streams)} ${streams === 1 ? 'stream' : 'streams'} in all` }));
  }
  if (selected && !users.some((u) => u.user === selected)) {
    // Unknown user from the URL: keep it so the API can say what is wrong.
    select.append(el('option', { value: selected, text: `${selected} (not found)` }));
  }
  // the first listener with streams: one whose only file was rejected has nothing to show
  const first = users.find((u) => Number(u.streams) > 0) || users[0];
  select.value = selected || (first ? first.user : '');
}

/** The period menu: all time, each year of the user's history (and its Wrapped), recent spans, custom. */
export function fillPeriods(select, users, userId, selected) {
  const u = users.find((x) => x.user === userId);
  const values = ['all'];
  if (u) {
    const first = yearIn(u.first_stream, u.time_zone);
    const last = yearIn(u.last_stream, u.time_zone);
    if (first && last) {
      for (let y = last; y >= first && y > last - 60; y--) values.push(`year:${y}`, `wrapped:${y}`);
    }
  }
  values.push('last:4w', 'last:6m', 'last:1y', 'custom');
  if (selected && !values.includes(selected)) values.splice(values.length - 1, 0, selected);
  select.replaceChildren(...values.map((v) => el('option', { value: v, text: periodLabel(v) })));
  select.value = selected && values.includes(selected) ? selected : 'all';
}

export function readUrl() {
  const q = new URLSearchParams(location.search);
  const rank = q.get('rank') === 'plays' ? 'plays' : 'minutes';
  let period = q.get('period') || '';
  const from = q.get('from') || '';
  const to = q.get('to') || '';
  if (!period) period = from || to ? 'custom' : 'all';
  return { user: q.get('user') || '', period, from, to, rank, story: q.get('story') === '1' };
}

/** Puts the selection in the address: a new history entry when pushed, else in place. */
export function writeUrl(sel, push) {
  const q = new URLSearchParams();
  q.set('user', sel.user);
  q.set('period', sel.period);
  if (sel.period === 'custom') {
    q.set('from', sel.from);
    q.set('to', sel.to);
  }
  q.set('rank', sel.rank);
  const url = `${location.pathname}?${q}${location.hash}`;
  if (url === `${location.pathname}${location.search}${location.hash}`) return;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}
