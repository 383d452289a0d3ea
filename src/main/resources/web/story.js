/* The story: a Wrapped-style poster of an answer, drawn on a canvas, to save as a PNG. */
import { el, hashString } from './dom.js';
import { count, fmtInt, fmtRange, heroTitle } from './format.js';

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

/** Draws the answer's poster on the canvas (1080 × 1920), in a theme of its own. */
export function drawStory(c, d) {
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
  drawText(ctx, fmtInt(totals.minutes) === '1' ? 'minute' : 'minutes', X, 780, maxW, 64, 40, 800, '#ffffff');

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
  drawText(ctx, `${count(totals.distinct_tracks, 'track', 'tracks')} · ${count(totals.distinct_artists, 'artist', 'artists')} · ${fmtInt(d.longest_streak_days)}-day streak`,
    W / 2, 1852, maxW, 34, 24, 600, 'rgba(255,255,255,0.85)', 'center');
  ctx.restore();
}

/** Offers the poster drawn on the canvas as a PNG download. */
export function saveStory(canvas, d) {
  const safe = (s) => String(s || '').replace(/[^\w.-]+/g, '_');
  const name = `encore-story-${safe(d.user)}-${d.from}-${d.to}.png`;
  canvas.toBlob((blob) => {
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
