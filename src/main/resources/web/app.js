/* Encore dashboard: plain ES2020, no framework. Talks to the JSON API described in docs/insights.md. */
(() => {
  'use strict';

  // ---------- formatting ----------------------------------------------------------------------
  const intFmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  const dec1Fmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
  const pctFmt = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
  const deltaFmt = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' });
  const dateFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const dayMonthFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const monthFmt = new Intl.DateTimeFormat(undefined, { month: 'short', year: '2-digit', timeZone: 'UTC' });
  const weekdayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: 'UTC' });
  const weekdayLongFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', timeZone: 'UTC' });
  const hourFmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric', timeZone: 'UTC' });

  const fmtInt = (n) => intFmt.format(Math.round(Number(n) || 0));
  const fmtMinutes = (m) => (Math.abs(m) < 10 && m !== 0 ? dec1Fmt.format(m) : fmtInt(m));
  const parseDate = (iso) => new Date(`${iso}T00:00:00Z`);
  const addDays = (iso, n) => {
    const d = parseDate(iso);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  };
  const daysBetween = (from, to) => Math.round((parseDate(to) - parseDate(from)) / 86400000);
  const fmtDate = (iso) => dateFmt.format(parseDate(iso));
  /** "1 Jan 2024 – 31 Dec 2024": the API's `to` is exclusive, people read ranges inclusively. */
  const fmtRange = (from, to) => {
    const last = addDays(to, -1);
    return last <= from ? fmtDate(from) : `${fmtDate(from)} – ${fmtDate(last)}`;
  };
  const hourLabel = (h) => hourFmt.format(new Date(Date.UTC(2024, 0, 1, h)));
  const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
  // 2024-01-01 was a Monday.
  const weekdayLabel = (name, long = false) => {
    const i = Math.max(0, WEEKDAYS.indexOf(String(name).toUpperCase()));
    return (long ? weekdayLongFmt : weekdayFmt).format(new Date(Date.UTC(2024, 0, 1 + i)));
  };

  // ---------- raw JSON numbers ----------------------------------------------------------------
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
  const rawOf = (obj, key) => {
    const v = obj ? obj[key] : undefined;
    if (v === null || v === undefined) return 'null';
    const raw = rawNumbers.get(obj);
    return raw && key in raw ? raw[key] : String(v);
  };

  // ---------- small DOM helpers ---------------------------------------------------------------
  const $ = (sel, root = document) => root.querySelector(sel);
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  function hashString(s) {
    let h = 2166136261;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
    return h >>> 0;
  }
  function initials(name) {
    const words = String(name || '?').replace(/[([{].*$/, '').trim().split(/[\s\-_/&+,.]+/).filter(Boolean);
    const letters = words.slice(0, 2).map((w) => Array.from(w)[0]).join('');
    return (letters || Array.from(String(name || '?'))[0] || '?').toUpperCase();
  }
  function placeholder(name) {
    const h = hashString(String(name || ''));
    const hue = h % 360;
    const hue2 = (hue + 40 + (h >> 9) % 80) % 360;
    const ph = el('span', { class: 'art art-ph', 'aria-hidden': 'true', text: initials(name) });
    ph.style.background = `linear-gradient(135deg, hsl(${hue} 80% 58%), hsl(${hue2} 75% 42%))`;
    return ph;
  }
  function artwork(name, image) {
    if (!image) return placeholder(name);
    const img = el('img', { class: 'art', src: image, alt: '', loading: 'lazy', decoding: 'async', referrerpolicy: 'no-referrer', width: 48, height: 48 });
    img.addEventListener('error', () => img.replaceWith(placeholder(name)), { once: true });
    return img;
  }

  // ---------- state -------------------------------------------------------------------------
  const ui = {
    form: $('#controls'),
    user: $('#user-select'),
    period: $('#period-select'),
    from: $('#from'),
    to: $('#to'),
    rank: $('#rank-select'),
    apply: $('#apply'),
    error: $('#error'),
    empty: $('#empty'),
    main: $('#main'),
    storyOpen: $('#story-open'),
    story: $('#story'),
    storyCanvas: $('#story-canvas'),
    storySave: $('#story-save'),
    storyClose: $('#story-close'),
  };
  let users = [];
  let data = null; // last rendered wrapped answer
  let requestSeq = 0;
  let inflight = null;
  window.encoreCharts = { clock: null, weekday: null, month: null, genres: null };

  const setState = (s) => { document.body.dataset.state = s; };

  function showError(message) {
    ui.error.textContent = message;
    ui.error.hidden = false;
    setState('error');
  }
  function clearError() {
    ui.error.hidden = true;
    ui.error.textContent = '';
  }

  async function getJson(url, signal) {
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

  // ---------- controls ----------------------------------------------------------------------
  function yearIn(iso, zone) {
    if (!iso) return null;
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return null;
    try {
      return Number(new Intl.DateTimeFormat('en-US', { year: 'numeric', timeZone: zone || 'UTC' }).format(d));
    } catch {
      return d.getUTCFullYear();
    }
  }

  function periodLabel(p) {
    let m;
    if (p === 'all') return 'All time';
    if (p === 'custom') return 'Custom dates…';
    if ((m = /^year:(\d{4})$/.exec(p))) return `Year ${m[1]}`;
    if ((m = /^wrapped:(\d{4})$/.exec(p))) return `Wrapped ${m[1]}`;
    if ((m = /^last:(\d+)([dwmy])$/.exec(p))) {
      const n = Number(m[1]);
      const unit = { d: 'day', w: 'week', m: 'month', y: 'year' }[m[2]];
      return n === 1 ? `Last ${unit}` : `Last ${n} ${unit}s`;
    }
    return p;
  }

  function fillUsers(selected) {
    ui.user.replaceChildren();
    for (const u of users) {
      const streams = Number(u.streams) || 0;
      ui.user.append(el('option', { value: u.user, text: `${u.user} · ${fmtInt(streams)} ${streams === 1 ? 'stream' : 'streams'}` }));
    }
    if (selected && !users.some((u) => u.user === selected)) {
      // Unknown user from the URL: keep it so the API can say what is wrong.
      ui.user.append(el('option', { value: selected, text: `${selected} (not found)` }));
    }
    ui.user.value = selected || (users[0] ? users[0].user : '');
  }

  function fillPeriods(userId, selected) {
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
    ui.period.replaceChildren(...values.map((v) => el('option', { value: v, text: periodLabel(v) })));
    ui.period.value = selected && values.includes(selected) ? selected : 'all';
  }

  function readUrl() {
    const q = new URLSearchParams(location.search);
    const rank = q.get('rank') === 'plays' ? 'plays' : 'minutes';
    let period = q.get('period') || '';
    const from = q.get('from') || '';
    const to = q.get('to') || '';
    if (!period) period = from || to ? 'custom' : 'all';
    return { user: q.get('user') || '', period, from, to, rank, story: q.get('story') === '1' };
  }

  function selection() {
    return {
      user: ui.user.value,
      period: ui.period.value,
      from: ui.from.value,
      to: ui.to.value,
      rank: ui.rank.value === 'plays' ? 'plays' : 'minutes',
    };
  }

  function writeUrl(sel, push) {
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

  function syncDateMode() {
    document.body.classList.toggle('custom-period', ui.period.value === 'custom');
  }

  // ---------- loading -----------------------------------------------------------------------
  async function load({ push = true } = {}) {
    const sel = selection();
    if (!sel.user) return;
    if (sel.period === 'custom' && (!sel.from || !sel.to)) {
      showError('Pick both a start and an end date for a custom period.');
      return;
    }
    writeUrl(sel, push);

    const q = new URLSearchParams();
    if (sel.period === 'custom') {
      q.set('from', sel.from);
      q.set('to', sel.to);
    } else {
      q.set('period', sel.period);
    }
    q.set('rank', sel.rank);

    const seq = ++requestSeq;
    if (inflight) inflight.abort();
    inflight = new AbortController();
    setState('loading');
    clearError();
    ui.storyOpen.disabled = true;

    try {
      const answer = await getJson(`api/users/${encodeURIComponent(sel.user)}/wrapped?${q}`, inflight.signal);
      if (seq !== requestSeq) return;
      render(answer);
      data = answer;
      if (sel.period !== 'custom') {
        ui.from.value = answer.from || '';
        ui.to.value = answer.to || '';
      }
      const ds = document.body.dataset;
      ds.user = answer.user;
      ds.from = answer.from;
      ds.to = answer.to;
      ds.rank = answer.rank;
      ui.main.classList.remove('stale');
      ui.main.hidden = false;
      ui.storyOpen.disabled = false;
      setState('ready');
    } catch (e) {
      if (e.name === 'AbortError' || seq !== requestSeq) return;
      if (data) ui.main.classList.add('stale');
      else ui.main.hidden = true; // nothing rendered yet: an empty dashboard would only confuse
      showError(e.message);
    }
  }

  // ---------- rendering ---------------------------------------------------------------------
  function render(d) {
    const totals = d.totals || {};
    const prevTotals = (d.previous && d.previous.totals) || null;

    // Hero
    $('#hero-user').textContent = d.user;
    $('#period-title').textContent = heroTitle(d);
    $('#period-range').textContent = `${fmtRange(d.from, d.to)} · ${d.time_zone || 'UTC'}`;
    const minutes = Number(totals.minutes) || 0;
    $('#hero-line').textContent = minutes > 0
      ? `${fmtInt(minutes)} minutes of music: that is ${dec1Fmt.format(minutes / 1440)} whole days with headphones on.`
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
    minutesSub.textContent = minutes >= 60 ? `≈ ${fmtInt(minutes / 60)} hours` : '';

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
    renderList('#top-shows', shows, rank, (s) => (s.episodes != null ? `${fmtInt(s.episodes)} ${s.episodes === 1 ? 'episode' : 'episodes'}` : ''));
    const pod = d.podcasts || {};
    $('#podcast-summary').textContent = Number(pod.streams) > 0
      ? `${fmtInt(pod.minutes)} minutes over ${fmtInt(pod.plays)} plays`
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

  function heroTitle(d) {
    const p = d.period || '';
    let m;
    if ((m = /^year:(\d{4})$/.exec(p))) return `Your ${m[1]}`;
    if ((m = /^wrapped:(\d{4})$/.exec(p))) return `Wrapped ${m[1]}`;
    if (p === 'all') return 'All time';
    if (/^last:/.test(p)) return periodLabel(p);
    return 'Your custom mix';
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
      const playsText = `${fmtInt(it.plays)} ${Number(it.plays) === 1 ? 'play' : 'plays'}`;
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

  // ---------- charts ------------------------------------------------------------------------
  const PALETTE = ['#c8f25a', '#ff4f8b', '#7c5cff', '#ff9a3d', '#36d6c3', '#ffd23f', '#5ab0ff', '#f25ad8', '#8ef29a', '#ff6b5a'];
  const reducedMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  function chartDefaults() {
    if (typeof Chart === 'undefined' || chartDefaults.done) return;
    chartDefaults.done = true;
    Chart.defaults.color = '#bdb8d6';
    Chart.defaults.borderColor = 'rgba(255,255,255,0.08)';
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 12;
    Chart.defaults.plugins.legend.display = false;
    Chart.defaults.plugins.tooltip.backgroundColor = '#221f33';
    Chart.defaults.plugins.tooltip.borderColor = 'rgba(255,255,255,0.12)';
    Chart.defaults.plugins.tooltip.borderWidth = 1;
    Chart.defaults.plugins.tooltip.padding = 10;
    Chart.defaults.plugins.tooltip.cornerRadius = 10;
    Chart.defaults.maintainAspectRatio = false;
    if (reducedMotion) Chart.defaults.animation = false;
  }

  function destroyCharts() {
    for (const k of Object.keys(window.encoreCharts)) {
      if (window.encoreCharts[k]) window.encoreCharts[k].destroy();
      window.encoreCharts[k] = null;
    }
  }

  const tooltipBoth = (rows) => ({
    callbacks: {
      label: (ctx) => {
        const r = rows[ctx.dataIndex] || {};
        return ` ${fmtMinutes(Number(r.minutes) || 0)} min · ${fmtInt(r.plays)} plays`;
      },
    },
  });

  function renderCharts(d) {
    destroyCharts();
    const byHour = Array.isArray(d.by_hour) ? d.by_hour : [];
    const byWeekday = Array.isArray(d.by_weekday) ? d.by_weekday : [];
    const short = d.from && d.to && daysBetween(d.from, d.to) <= 62;
    const series = short ? (d.by_day || []) : (d.by_month || []);

    // Notes do not need Chart.js.
    const peakHour = byHour.reduce((best, r) => ((Number(r.minutes) || 0) > (Number(best?.minutes) || 0) ? r : best), null);
    $('#clock-note').textContent = peakHour && Number(peakHour.minutes) > 0
      ? `Your golden hour: ${hourLabel(peakHour.hour)}–${hourLabel((peakHour.hour + 1) % 24)}, with ${fmtInt(peakHour.minutes)} minutes.`
      : '';
    const peakDay = byWeekday.reduce((best, r) => ((Number(r.minutes) || 0) > (Number(best?.minutes) || 0) ? r : best), null);
    $('#weekday-note').textContent = peakDay && Number(peakDay.minutes) > 0
      ? `${weekdayLabel(peakDay.weekday, true)} is your day: ${fmtInt(peakDay.minutes)} minutes.`
      : '';
    $('#month-title').textContent = short ? 'Minutes per day' : 'Minutes per month';

    if (typeof Chart === 'undefined') return;
    chartDefaults();

    // Listening clock: 24 equal slices, midnight at the top, coloured from night to day.
    const hours = Array.from({ length: 24 }, (_, h) => byHour.find((r) => Number(r.hour) === h) || { hour: h, minutes: 0, plays: 0 });
    const hourColour = (h) => {
      const day = (1 - Math.cos(((h - 1) / 24) * Math.PI * 2)) / 2; // 0 at ~1am, 1 at ~1pm
      const hue = 265 - day * 210; // violet at night -> warm orange/lime at midday
      return `hsla(${hue}, 90%, ${55 + day * 8}%, 0.85)`;
    };
    window.encoreCharts.clock = new Chart($('#chart-clock'), {
      type: 'polarArea',
      data: {
        labels: hours.map((r) => hourLabel(r.hour)),
        datasets: [{
          label: 'Minutes',
          data: hours.map((r) => Number(r.minutes) || 0),
          backgroundColor: hours.map((r) => hourColour(r.hour)),
          borderColor: '#16141f',
          borderWidth: 1.5,
        }],
      },
      options: {
        startAngle: -7.5,
        scales: {
          r: {
            min: 0,
            ticks: { display: false },
            grid: { color: 'rgba(255,255,255,0.07)' },
            angleLines: { display: true, color: 'rgba(255,255,255,0.05)' },
            pointLabels: {
              display: true,
              centerPointLabels: true,
              font: { size: 11 },
              callback: (label, i) => (i % 3 === 0 ? label : ''),
            },
          },
        },
        plugins: { tooltip: tooltipBoth(hours) },
      },
    });

    // Weekday bars
    const week = WEEKDAYS.map((w) => byWeekday.find((r) => String(r.weekday).toUpperCase() === w) || { weekday: w, minutes: 0, plays: 0 });
    const maxWeek = Math.max(...week.map((r) => Number(r.minutes) || 0));
    window.encoreCharts.weekday = new Chart($('#chart-weekday'), {
      type: 'bar',
      data: {
        labels: week.map((r) => weekdayLabel(r.weekday)),
        datasets: [{
          label: 'Minutes',
          data: week.map((r) => Number(r.minutes) || 0),
          backgroundColor: week.map((r) => (maxWeek > 0 && Number(r.minutes) === maxWeek ? '#c8f25a' : 'rgba(124,92,255,0.6)')),
          borderRadius: 8,
          borderSkipped: false,
          maxBarThickness: 44,
        }],
      },
      options: {
        scales: {
          x: { grid: { display: false } },
          y: { beginAtZero: true, ticks: { callback: (v) => fmtInt(v), maxTicksLimit: 5 } },
        },
        plugins: { tooltip: tooltipBoth(week) },
      },
    });

    // Minutes over time
    const monthCanvas = $('#chart-month');
    const ctx = monthCanvas.getContext('2d');
    const grad = ctx.createLinearGradient(0, 0, 0, 300);
    grad.addColorStop(0, 'rgba(255,79,139,0.55)');
    grad.addColorStop(1, 'rgba(124,92,255,0.02)');
    const barGrad = ctx.createLinearGradient(0, 0, 0, 300);
    barGrad.addColorStop(0, '#ff4f8b');
    barGrad.addColorStop(1, '#7c5cff');
    const labels = series.map((r) => (short ? dayMonthFmt.format(parseDate(r.date)) : monthFmt.format(parseDate(`${r.month}-01`))));
    window.encoreCharts.month = new Chart(monthCanvas, {
      type: short ? 'line' : 'bar',
      data: {
        labels,
        datasets: [{
          label: 'Minutes',
          data: series.map((r) => Number(r.minutes) || 0),
          backgroundColor: short ? grad : barGrad,
          borderColor: '#ff4f8b',
          borderWidth: short ? 2.5 : 0,
          borderRadius: 6,
          fill: true,
          tension: 0.35,
          cubicInterpolationMode: 'monotone',
          pointRadius: short ? 2 : 0,
          pointHoverRadius: 5,
          maxBarThickness: 48,
        }],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0, autoSkipPadding: 12 } },
          y: { beginAtZero: true, ticks: { callback: (v) => fmtInt(v), maxTicksLimit: 6 } },
        },
        plugins: { tooltip: tooltipBoth(series) },
      },
    });

    // Genres doughnut
    const genres = d.top_genres || [];
    if (genres.length > 0) {
      const key = d.rank === 'plays' ? 'plays' : 'minutes';
      window.encoreCharts.genres = new Chart($('#chart-genres'), {
        type: 'doughnut',
        data: {
          labels: genres.map((g) => g.name),
          datasets: [{
            label: key === 'plays' ? 'Plays' : 'Minutes',
            data: genres.map((g) => Number(g[key]) || 0),
            backgroundColor: genres.map((_, i) => PALETTE[i % PALETTE.length]),
            borderColor: '#16141f',
            borderWidth: 3,
            hoverOffset: 8,
          }],
        },
        options: { cutout: '62%', plugins: { tooltip: tooltipBoth(genres) } },
      });
    }
  }

  // ---------- story poster ------------------------------------------------------------------
  const STORY_THEMES = [
    ['#ff4f8b', '#7c5cff', '#1b0b3a', '#c8f25a'],
    ['#c8f25a', '#1fae8c', '#062a2a', '#ff4f8b'],
    ['#ff9a3d', '#ff3d6e', '#2b0a1f', '#ffe45c'],
    ['#5ab0ff', '#7c5cff', '#0b1236', '#ff9a3d'],
  ];
  const FONT = '"Helvetica Neue", "Segoe UI", Roboto, Arial, "Liberation Sans", "DejaVu Sans", sans-serif';

  function fitFont(ctx, text, maxWidth, size, minSize, weight = 800) {
    let s = size;
    for (; s > minSize; s -= 4) {
      ctx.font = `${weight} ${s}px ${FONT}`;
      if (ctx.measureText(text).width <= maxWidth) return text;
    }
    ctx.font = `${weight} ${minSize}px ${FONT}`;
    if (ctx.measureText(text).width <= maxWidth) return text;
    let chars = Array.from(text);
    while (chars.length > 1 && ctx.measureText(`${chars.join('').trimEnd()}…`).width > maxWidth) chars.pop();
    return `${chars.join('').trimEnd()}…`;
  }
  function drawText(ctx, text, x, y, maxWidth, size, minSize, weight, colour, align = 'left') {
    const t = fitFont(ctx, String(text ?? ''), maxWidth, size, minSize, weight);
    ctx.fillStyle = colour;
    ctx.textAlign = align;
    ctx.fillText(t, x, y);
  }
  function roundRect(ctx, x, y, w, h, r) {
    ctx.beginPath();
    ctx.moveTo(x + r, y);
    ctx.arcTo(x + w, y, x + w, y + h, r);
    ctx.arcTo(x + w, y + h, x, y + h, r);
    ctx.arcTo(x, y + h, x, y, r);
    ctx.arcTo(x, y, x + w, y, r);
    ctx.closePath();
  }
  function setSpacing(ctx, px) { if ('letterSpacing' in ctx) ctx.letterSpacing = `${px}px`; }

  function drawStory(d) {
    const c = ui.storyCanvas;
    const ctx = c.getContext('2d');
    const W = c.width;
    const H = c.height;
    const [c1, c2, deep, pop] = STORY_THEMES[hashString(`${d.user}|${d.from}|${d.to}`) % STORY_THEMES.length];
    ctx.save();
    ctx.clearRect(0, 0, W, H);
    ctx.textBaseline = 'alphabetic';

    // Background: deep base, two big glowing blobs, diagonal stripes.
    ctx.fillStyle = deep;
    ctx.fillRect(0, 0, W, H);
    const g1 = ctx.createRadialGradient(W * 0.15, H * 0.12, 0, W * 0.15, H * 0.12, W * 1.1);
    g1.addColorStop(0, c1);
    g1.addColorStop(1, 'rgba(0,0,0,0)');
    ctx.fillStyle = g1;
    ctx.fillRect(0, 0, W, H);
    const g2 = ctx.createRadialGradient(W * 0.95, H * 0.78, 0, W * 0.95, H * 0.78, W * 1.05);
    g2.addColorStop(0, c2);
    g2.addColorStop(1, 'rgba(0,0,0,0)');
    ctx.fillStyle = g2;
    ctx.fillRect(0, 0, W, H);
    ctx.globalAlpha = 0.09;
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 26;
    for (let i = -6; i < 14; i++) {
      ctx.beginPath();
      ctx.moveTo(i * 140, H);
      ctx.lineTo(i * 140 + 900, H - 1500);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    // concentric rings, like a record
    ctx.strokeStyle = 'rgba(255,255,255,0.16)';
    ctx.lineWidth = 4;
    for (let r = 120; r <= 420; r += 60) {
      ctx.beginPath();
      ctx.arc(W - 40, 230, r, 0, Math.PI * 2);
      ctx.stroke();
    }

    const X = 84;
    const maxW = W - X * 2;
    const totals = d.totals || {};

    // Header
    setSpacing(ctx, 10);
    drawText(ctx, 'ENCORE', X, 130, 600, 44, 44, 900, '#ffffff');
    setSpacing(ctx, 0);
    drawText(ctx, d.user, X, 250, maxW - 160, 96, 48, 900, '#ffffff');
    drawText(ctx, heroTitle(d), X, 325, maxW, 58, 36, 800, 'rgba(255,255,255,0.92)');
    drawText(ctx, fmtRange(d.from, d.to), X, 382, maxW, 40, 28, 500, 'rgba(255,255,255,0.78)');

    // Minutes block
    drawText(ctx, 'You listened for', X, 500, maxW, 52, 36, 700, '#ffffff');
    drawText(ctx, fmtInt(totals.minutes), X, 700, maxW, 230, 110, 900, pop);
    drawText(ctx, 'minutes', X, 780, maxW, 64, 40, 800, '#ffffff');

    // Top artist panel
    const artist = (d.top_artists || [])[0];
    ctx.fillStyle = 'rgba(0,0,0,0.3)';
    roundRect(ctx, X - 24, 830, maxW + 48, 190, 36);
    ctx.fill();
    setSpacing(ctx, 6);
    drawText(ctx, 'TOP ARTIST', X + 20, 892, maxW, 34, 30, 800, pop);
    setSpacing(ctx, 0);
    drawText(ctx, artist ? artist.name : '—', X + 20, 985, maxW - 40, 92, 44, 900, '#ffffff');

    // Top tracks
    setSpacing(ctx, 6);
    drawText(ctx, 'TOP TRACKS', X, 1090, maxW, 34, 30, 800, pop);
    setSpacing(ctx, 0);
    const tracks = (d.top_tracks || []).slice(0, 5);
    if (tracks.length === 0) drawText(ctx, 'Nothing yet — press play!', X, 1170, maxW, 50, 30, 700, '#ffffff');
    tracks.forEach((t, i) => {
      const y = 1158 + i * 94;
      drawText(ctx, String(i + 1), X, y + 18, 80, 60, 60, 900, 'rgba(255,255,255,0.6)');
      drawText(ctx, t.name, X + 90, y, maxW - 90, 44, 30, 800, '#ffffff');
      drawText(ctx, t.artist || "", X + 90, y + 40, maxW - 90, 30, 24, 500, 'rgba(255,255,255,0.8)');
    });

    // Bottom stats
    const genre = (d.top_genres || [])[0];
    const boxY = 1610;
    const boxH = 160;
    const boxes = genre
      ? [['TOP GENRE', genre.name], ['DAYS LISTENED', fmtInt(totals.days_listened)]]
      : [['DAYS LISTENED', fmtInt(totals.days_listened)], ['PLAYS', fmtInt(totals.plays)]];
    const bw = (maxW + 48 - 24) / 2;
    boxes.forEach(([label, value], i) => {
      const bx = X - 24 + i * (bw + 24);
      ctx.fillStyle = i === 0 ? pop : 'rgba(255,255,255,0.92)';
      roundRect(ctx, bx, boxY, bw, boxH, 32);
      ctx.fill();
      setSpacing(ctx, 4);
      drawText(ctx, label, bx + 32, boxY + 52, bw - 64, 28, 22, 800, deep);
      setSpacing(ctx, 0);
      drawText(ctx, value, bx + 32, boxY + 126, bw - 64, 62, 30, 900, deep);
    });

    // Footer
    drawText(ctx, `${fmtInt(totals.distinct_tracks)} tracks · ${fmtInt(totals.distinct_artists)} artists · ${fmtInt(d.longest_streak_days)}-day streak`,
      W / 2, 1852, maxW, 34, 24, 600, 'rgba(255,255,255,0.85)', 'center');
    ctx.restore();
  }

  function openStory() {
    if (!data) return;
    drawStory(data);
    if (typeof ui.story.showModal === 'function') {
      if (!ui.story.open) ui.story.showModal();
    } else {
      ui.story.setAttribute('open', '');
    }
    ui.storySave.focus();
  }
  function closeStory() {
    if (typeof ui.story.close === 'function') ui.story.close();
    else ui.story.removeAttribute('open');
    ui.storyOpen.focus();
  }
  function saveStory() {
    if (!data) return;
    const safe = (s) => String(s || '').replace(/[^\w.-]+/g, '_');
    const name = `encore-story-${safe(data.user)}-${data.from}-${data.to}.png`;
    ui.storyCanvas.toBlob((blob) => {
      if (!blob) return;
      const url = URL.createObjectURL(blob);
      const a = el('a', { href: url, download: name });
      a.hidden = true;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    }, 'image/png');
  }

  // ---------- wiring ------------------------------------------------------------------------
  function applyUrlToControls(sel) {
    fillUsers(sel.user);
    fillPeriods(ui.user.value, sel.period);
    ui.rank.value = sel.rank;
    if (sel.period === 'custom') {
      ui.from.value = sel.from;
      ui.to.value = sel.to;
    }
    syncDateMode();
  }

  ui.user.addEventListener('change', () => {
    const keep = ui.period.value;
    fillPeriods(ui.user.value, keep);
    syncDateMode();
    if (ui.period.value !== 'custom' || (ui.from.value && ui.to.value)) load();
  });
  ui.period.addEventListener('change', () => {
    syncDateMode();
    if (ui.period.value === 'custom') ui.from.focus();
    else load();
  });
  ui.rank.addEventListener('change', () => load());
  for (const input of [ui.from, ui.to]) {
    input.addEventListener('change', () => {
      if (ui.period.value !== 'custom') {
        ui.period.value = 'custom';
        syncDateMode();
      }
    });
  }
  ui.form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  ui.storyOpen.addEventListener('click', openStory);
  ui.storyClose.addEventListener('click', closeStory);
  ui.storySave.addEventListener('click', saveStory);
  ui.story.addEventListener('click', (e) => { if (e.target === ui.story) closeStory(); });
  window.addEventListener('popstate', () => {
    if (!users.length) return;
    applyUrlToControls(readUrl());
    load({ push: false });
  });

  async function start() {
    setState('loading');
    const sel = readUrl();
    try {
      const answer = await getJson('api/users');
      users = Array.isArray(answer.users) ? answer.users : [];
    } catch (e) {
      showError(e.message);
      return;
    }
    if (users.length === 0) {
      ui.main.hidden = true;
      ui.empty.hidden = false;
      for (const c of [ui.user, ui.period, ui.from, ui.to, ui.rank, ui.apply]) c.disabled = true;
      ui.form.hidden = true;
      setState('empty');
      return;
    }
    applyUrlToControls(sel);
    await load({ push: false });
    if (sel.story && document.body.dataset.state === 'ready') openStory();
  }

  start();
})();
