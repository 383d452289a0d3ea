/* The dashboard's text and lists, from one Wrapped answer. */
import { rawOf } from './api.js';
import { PALETTE, renderCharts } from './charts.js';
import { $, artwork, el } from './dom.js';
import { count, dec1Fmt, deltaFmt, fmtDate, fmtInt, fmtMinutes, fmtRange, heroTitle, pctFmt } from './format.js';

/** Shows a Wrapped answer: hero, totals against the period before, the tops, the notes, the charts. */
export function render(d) {
  const totals = d.totals || {};
  const prevTotals = (d.previous && d.previous.totals) || null;

  // Hero
  $('#hero-user').textContent = d.user;
  $('#period-title').textContent = heroTitle(d);
  $('#period-range').textContent = `${fmtRange(d.from, d.to)} · ${d.time_zone || 'UTC'}`;
  const minutes = Number(totals.minutes) || 0;
  $('#hero-line').textContent = minutes > 0
    ? `${count(minutes, 'minute', 'minutes')} of music: that is ${count(minutes / 1440, 'whole day', 'whole days', (n) => dec1Fmt.format(n))} with headphones on.`
    : 'No music in this period. Try another one.';
  document.title = `Encore · ${d.user} · ${heroTitle(d)}`;

  // Totals
  for (const key of ['minutes', 'ms_played', 'plays', 'streams', 'distinct_tracks', 'distinct_artists', 'distinct_albums', 'days_listened']) {
    const card = document.querySelector(`[data-total="${key}"]`);
    card.dataset.value = rawOf(totals, key);
    const value = $('.total-value', card);
    if (value) value.textContent = fmtInt(totals[key]);
    const delta = $('.total-delta', card);
    if (delta) renderDelta(delta, totals[key], prevTotals ? prevTotals[key] : undefined, d.previous);
  }
  const minutesSub = $('[data-total="minutes"] .total-sub');
  minutesSub.textContent = minutes >= 60 ? `≈ ${count(minutes / 60, 'hour', 'hours')}` : '';

  const streak = document.querySelector('[data-total="longest_streak_days"]');
  streak.dataset.value = rawOf(d, 'longest_streak_days');
  $('.total-value', streak).textContent = fmtInt(d.longest_streak_days);
  $('.total-sub', streak).textContent = Number(d.longest_streak_days) === 1 ? 'day' : 'days in a row';

  const skip = document.querySelector('[data-total="skip_rate"]');
  skip.dataset.value = rawOf(d, 'skip_rate');
  const hasSkip = typeof d.skip_rate === 'number';
  $('.total-value', skip).textContent = hasSkip ? pctFmt.format(d.skip_rate) : '—';
  $('.total-sub', skip).textContent = hasSkip ? 'of streams skipped' : 'not in this export';

  const na = d.new_artists || { count: 0, top: [] };
  const naCard = document.querySelector('[data-total="new_artists"]');
  naCard.dataset.value = rawOf(na, 'count');
  $('.total-value', naCard).textContent = fmtInt(na.count);
  $('.total-sub', naCard).textContent = na.top && na.top[0] ? `first heard: ${na.top[0].name}` : 'never played before';

  // Lists
  const rank = d.rank === 'plays' ? 'plays' : 'minutes';
  renderList('#top-tracks', d.top_tracks, rank, (t) => t.artist);
  renderList('#top-artists', d.top_artists, rank);
  renderList('#top-albums', d.top_albums, rank, (a) => a.artist);
  renderList('#top-new-artists', (na.top || []).slice(0, 10), rank, (a) => (a.first_played ? `since ${fmtDate(a.first_played)}` : ''));
  const shows = (d.podcasts && d.podcasts.top_shows) || [];
  renderList('#top-shows', shows, rank, (s) => (s.episodes != null ? count(s.episodes, 'episode', 'episodes') : ''));
  const pod = d.podcasts || {};
  $('#podcast-summary').textContent = Number(pod.streams) > 0
    ? `${count(pod.minutes, 'minute', 'minutes')} over ${count(pod.plays, 'play', 'plays')}`
    : '';

  const sourceNotes = {
    export: 'Artists as named in your Spotify export.',
    catalogue: 'Artists from the Spotify catalogue (enriched data).',
    mixed: 'Artists from the catalogue where enrichment knows the track, otherwise as named in your export.',
  };
  $('#artist-source').textContent = sourceNotes[d.artist_source] || '';
  $('#artist-source').dataset.source = d.artist_source || '';

  const genres = d.top_genres || [];
  renderList('#top-genres', genres, rank, null, { art: false, swatches: true });
  const genresEmpty = $('#genres-empty');
  genresEmpty.hidden = genres.length > 0;
  genresEmpty.textContent = Number(totals.plays) > 0 || !d.totals
    ? 'Genres appear once enrichment has run.'
    : 'Nothing played in this period.';
  $('#genres-chart-box').hidden = genres.length === 0;

  const r = d.rules || {};
  $('#rules-note').textContent = [
    `A play is a stream of at least ${fmtInt((r.min_play_ms ?? 30000) / 1000)} seconds.`,
    r.music_kinds ? `Counted as music: ${r.music_kinds.join(', ')}.` : '',
    r.include_incognito ? 'Private sessions included.' : 'Private sessions are left out, as in Wrapped.',
    `Ranked by ${rank}.`,
  ].filter(Boolean).join(' ');

  renderCharts(d);
}

function renderDelta(node, now, before, previous) {
  node.className = 'total-delta';
  node.textContent = '';
  node.removeAttribute('title');
  if (typeof now !== 'number' || typeof before !== 'number') return;
  if (previous && previous.from && previous.to) {
    node.title = `Previous period ${fmtRange(previous.from, previous.to)}: ${fmtInt(before)}`;
  }
  if (before === 0) {
    if (now > 0) {
      node.textContent = 'nothing in the previous period';
      node.classList.add('delta-flat');
    }
    return;
  }
  const change = (now - before) / before;
  const arrow = change > 0.0005 ? '▲' : change < -0.0005 ? '▼' : '●';
  node.classList.add(change > 0.0005 ? 'delta-up' : change < -0.0005 ? 'delta-down' : 'delta-flat');
  node.textContent = `${arrow} ${deltaFmt.format(change)} vs previous period`;
}

function renderList(selector, items, rank, subOf, opts = {}) {
  const list = $(selector);
  const empty = list.nextElementSibling;
  items = Array.isArray(items) ? items : [];
  list.replaceChildren();
  list.hidden = items.length === 0;
  if (empty && empty.classList.contains('list-empty')) empty.hidden = items.length > 0;
  const metric = (it) => (rank === 'plays' ? Number(it.plays) || 0 : Number(it.ms_played) || 0);
  const top = Math.max(1, ...items.map(metric));
  items.forEach((it, i) => {
    const li = el('li', {
      'data-name': it.name ?? '',
      'data-ms': it.ms_played ?? 0,
      'data-plays': it.plays ?? 0,
      'data-rank': it.rank ?? i + 1,
    });
    const minutesText = `${fmtMinutes(Number(it.minutes) || 0)} min`;
    const playsText = count(it.plays, 'play', 'plays');
    const sub = subOf ? subOf(it) : '';
    const info = el('span', { class: 'item-info' },
      el('span', { class: 'item-name', text: it.name ?? 'Unknown', title: it.name ?? '' }),
      sub ? el('span', { class: 'item-sub', text: sub, title: sub }) : null);
    let art = null;
    if (opts.swatches) {
      art = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      art.style.background = PALETTE[i % PALETTE.length];
    } else if (opts.art !== false) {
      art = artwork(it.name, it.image);
    }
    const bar = el('span', { class: 'item-bar', 'aria-hidden': 'true' });
    bar.style.setProperty('--w', `${Math.max(2, (metric(it) / top) * 100).toFixed(1)}%`);
    li.append(
      el('span', { class: 'item-rank', text: String(it.rank ?? i + 1) }),
      art || '',
      info,
      el('span', { class: 'item-metric', text: rank === 'plays' ? playsText : minutesText, title: `${minutesText} · ${playsText}` }),
      bar,
    );
    list.append(li);
  });
}
