/* Encore dashboard: plain ES modules, no framework, no build step. Talks to the JSON API
   described in docs/insights.md. This module holds the page's state and wires the controls. */
import { showAccount } from './account.js';
import { getJson } from './api.js';
import { showConnection } from './connection.js';
import { fillPeriods, fillUsers, readUrl, writeUrl } from './controls.js';
import { $ } from './dom.js';
import { showGaps } from './gaps.js';
import { render } from './render.js';
import { drawStory, saveStory } from './story.js';

const ui = {
  form: $('#controls'),
  user: $('#user-select'),
  period: $('#period-select'),
  from: $('#from'),
  to: $('#to'),
  rank: $('#rank-select'),
  apply: $('#apply'),
  error: $('#error'),
  gaps: $('#gaps'),
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

function selection() {
  return {
    user: ui.user.value,
    period: ui.period.value,
    from: ui.from.value,
    to: ui.to.value,
    rank: ui.rank.value === 'plays' ? 'plays' : 'minutes',
  };
}

function syncDateMode() {
  document.body.classList.toggle('custom-period', ui.period.value === 'custom');
}

// ---------- loading -------------------------------------------------------------------------
async function load({ push = true } = {}) {
  const sel = selection();
  if (!sel.user) return;
  if (sel.period === 'custom' && (!sel.from || !sel.to)) {
    showError('Pick both a start and an end date for a custom period.');
    return;
  }
  writeUrl(sel, push);
  showConnection(users, sel.user);

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
    showGaps(ui.gaps, answer.user, users);
  } catch (e) {
    if (e.name === 'AbortError' || seq !== requestSeq) return;
    if (data) ui.main.classList.add('stale');
    else ui.main.hidden = true; // nothing rendered yet: an empty dashboard would only confuse
    showError(e.message);
  }
}

// ---------- story ---------------------------------------------------------------------------
function openStory() {
  if (!data) return;
  drawStory(ui.storyCanvas, data);
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

// ---------- wiring --------------------------------------------------------------------------
function applyUrlToControls(sel) {
  fillUsers(ui.user, users, sel.user);
  fillPeriods(ui.period, users, ui.user.value, sel.period);
  ui.rank.value = sel.rank;
  if (sel.period === 'custom') {
    ui.from.value = sel.from;
    ui.to.value = sel.to;
  }
  syncDateMode();
}

ui.user.addEventListener('change', () => {
  const keep = ui.period.value;
  fillPeriods(ui.period, users, ui.user.value, keep);
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
ui.storySave.addEventListener('click', () => { if (data) saveStory(ui.storyCanvas, data); });
ui.story.addEventListener('click', (e) => { if (e.target === ui.story) closeStory(); });
window.addEventListener('popstate', () => {
  if (!users.length) return;
  applyUrlToControls(readUrl());
  load({ push: false });
});

async function start() {
  let me = null;
  setState('loading');
  const sel = readUrl();
  try {
    me = await showAccount();
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
    // a signed-in person connects their own account (an admin may name anyone)
    const connectUser = $('#connect-user');
    if (me && me.user && connectUser) {
      connectUser.value = me.user;
      connectUser.readOnly = !me.admin;
    }
    setState('empty');
    return;
  }
  applyUrlToControls(sel);
  await load({ push: false });
  if (sel.story && document.body.dataset.state === 'ready') openStory();
}

start();
