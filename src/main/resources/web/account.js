/* Who is signed in (GET /api/me, docs/access.md): their name and Sign out in the top bar, and
   their API tokens for scripts and Power BI. With sign-in off (Encore on loopback, one local
   user) there is nothing to show. */
import { getJson, sendJson, setCsrfToken, toSignIn } from './api.js';
import { $, el } from './dom.js';

const when = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const fmt = (iso) => (iso ? when.format(new Date(iso)) : 'never');

/** The caller; shows the account bar when sign-in is on. */
export async function showAccount() {
  const me = await getJson('api/me');
  setCsrfToken(me.csrf_token || null);
  if (me.access !== 'accounts') return me;
  const bar = $('#account');
  $('#account-name').textContent = me.user;
  $('#account-admin').hidden = !me.admin;
  bar.hidden = false;
  $('#sign-out').addEventListener('click', async () => {
    try { await sendJson('DELETE', 'api/session'); } finally { toSignIn(); }
  });
  $('#tokens-open').addEventListener('click', openTokens);
  $('#tokens-close').addEventListener('click', () => $('#tokens').close());
  $('#tokens-form').addEventListener('submit', createToken);
  return me;
}

async function openTokens() {
  $('#token-new').hidden = true;
  $('#tokens-error').hidden = true;
  await listTokens();
  $('#tokens').showModal();
}

async function listTokens() {
  const list = $('#tokens-list');
  const answer = await getJson('api/tokens');
  list.replaceChildren(...answer.tokens.map((t) => {
    const revoke = el('button', { type: 'button', class: 'btn', text: 'Revoke', 'data-token': t.id });
    revoke.addEventListener('click', async () => {
      await sendJson('DELETE', `api/tokens/${encodeURIComponent(t.id)}`);
      await listTokens();
    });
    return el('li', {}, el('span', {}, el('strong', { text: t.label }),
      el('span', { class: 'meta', text: ` · made ${fmt(t.created_at)} · last used ${fmt(t.last_used_at)}` })), revoke);
  }));
  if (!answer.tokens.length) list.append(el('li', { class: 'meta', text: 'No API tokens yet.' }));
}

async function createToken(e) {
  e.preventDefault();
  const label = $('#token-label');
  try {
    const made = await sendJson('POST', 'api/tokens', { label: label.value });
    const box = $('#token-new');
    box.replaceChildren(el('p', { text: 'Copy it now: Encore keeps only its hash and shows it this once.' }),
      el('code', { id: 'token-value', text: made.token }));
    box.hidden = false;
    label.value = '';
    $('#tokens-error').hidden = true;
    await listTokens();
  } catch (err) {
    $('#tokens-error').textContent = err.message;
    $('#tokens-error').hidden = false;
  }
}
