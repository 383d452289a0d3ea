/* Small DOM helpers, and the stand-in picture of what has no cover yet. */

export const $ = (sel, root = document) => root.querySelector(sel);

export function el(tag, attrs = {}, ...children) {
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

export function hashString(s) {
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
/** The cover or portrait, or (none yet, or it fails to load) the name's initials on a colour of its own. */
export function artwork(name, image) {
  if (!image) return placeholder(name);
  const img = el('img', { class: 'art', src: image, alt: '', loading: 'lazy', decoding: 'async', referrerpolicy: 'no-referrer', width: 48, height: 48 });
  img.addEventListener('error', () => img.replaceWith(placeholder(name)), { once: true });
  return img;
}
