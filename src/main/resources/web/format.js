/* How the dashboard writes numbers, dates and periods: the reader's locale, the API's days. */

const intFmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
export const dec1Fmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
export const pctFmt = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
export const deltaFmt = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' });
const dateFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
export const dayMonthFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
export const monthFmt = new Intl.DateTimeFormat(undefined, { month: 'short', year: '2-digit', timeZone: 'UTC' });
const weekdayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: 'UTC' });
const weekdayLongFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', timeZone: 'UTC' });
const hourFmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric', timeZone: 'UTC' });

export const fmtInt = (n) => intFmt.format(Math.round(Number(n) || 0));
export const fmtMinutes = (m) => (Math.abs(m) < 10 && m !== 0 ? dec1Fmt.format(m) : fmtInt(m));
/** "1 play", "2 plays", "1 minute": the word agrees with the number as written ("1.0" and "0" are plural). */
export const count = (n, one, many, fmt = fmtInt) => {
  const text = fmt(n);
  return `${text} ${text === '1' ? one : many}`;
};
export const parseDate = (iso) => new Date(`${iso}T00:00:00Z`);
export const addDays = (iso, n) => {
  const d = parseDate(iso);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
export const daysBetween = (from, to) => Math.round((parseDate(to) - parseDate(from)) / 86400000);
export const fmtDate = (iso) => dateFmt.format(parseDate(iso));
/** "1 Jan 2024 – 31 Dec 2024": the API's `to` is exclusive, people read ranges inclusively. */
export const fmtRange = (from, to) => {
  const last = addDays(to, -1);
  return last <= from ? fmtDate(from) : `${fmtDate(from)} – ${fmtDate(last)}`;
};
export const hourLabel = (h) => hourFmt.format(new Date(Date.UTC(2024, 0, 1, h)));
export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
// 2024-01-01 was a Monday.
export const weekdayLabel = (name, long = false) => {
  const i = Math.max(0, WEEKDAYS.indexOf(String(name).toUpperCase()));
  return (long ? weekdayLongFmt : weekdayFmt).format(new Date(Date.UTC(2024, 0, 1 + i)));
};

/** The calendar year of an instant in a time zone (a user's first and last stream). */
export function yearIn(iso, zone) {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  try {
    return Number(new Intl.DateTimeFormat('en-US', { year: 'numeric', timeZone: zone || 'UTC' }).format(d));
  } catch {
    return d.getUTCFullYear();
  }
}

/** A period of the API (year:2024, wrapped:2024, last:4w, all) as the menu names it. */
export function periodLabel(p) {
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

/** The headline of an answer: "Your 2024", "Wrapped 2024", "All time", ... */
export function heroTitle(d) {
  const p = d.period || '';
  let m;
  if ((m = /^year:(\d{4})$/.exec(p))) return `Your ${m[1]}`;
  if ((m = /^wrapped:(\d{4})$/.exec(p))) return `Wrapped ${m[1]}`;
  if (p === 'all') return 'All time';
  if (/^last:/.test(p)) return periodLabel(p);
  return 'Your custom mix';
}
