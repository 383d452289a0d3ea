/* The charts, drawn with Chart.js (the page loads its UMD build, the global Chart, before the modules). */
import { $ } from './dom.js';
import { WEEKDAYS, count, dayMonthFmt, daysBetween, fmtInt, fmtMinutes, hourLabel, monthFmt, parseDate, weekdayLabel } from './format.js';

// the charts on show, also for the browser test and a curious console
const charts = { clock: null, weekday: null, month: null, genres: null };
window.encoreCharts = charts;

export const PALETTE = ['#c8f25a', '#ff4f8b', '#7c5cff', '#ff9a3d', '#36d6c3', '#ffd23f', '#5ab0ff', '#f25ad8', '#8ef29a', '#ff6b5a'];
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
  for (const k of Object.keys(charts)) {
    if (charts[k]) charts[k].destroy();
    charts[k] = null;
  }
}

const tooltipBoth = (rows) => ({
  callbacks: {
    label: (ctx) => {
      const r = rows[ctx.dataIndex] || {};
      return ` ${fmtMinutes(Number(r.minutes) || 0)} min · ${count(r.plays, 'play', 'plays')}`;
    },
  },
});

/** The months summed into their years ("2024-03" is 2024's), for periods too long for a bar a month. */
function yearsOf(months) {
  const years = new Map();
  for (const m of months) {
    const year = String(m.month).slice(0, 4);
    const y = years.get(year) || { year, minutes: 0, plays: 0 };
    y.minutes = Math.round((y.minutes + (Number(m.minutes) || 0)) * 100) / 100;
    y.plays += Number(m.plays) || 0;
    years.set(year, y);
  }
  return [...years.values()];
}

/** Draws the answer's charts (and writes their notes, which need no Chart.js). */
export function renderCharts(d) {
  destroyCharts();
  const byHour = Array.isArray(d.by_hour) ? d.by_hour : [];
  const byWeekday = Array.isArray(d.by_weekday) ? d.by_weekday : [];
  // days for two months or less (the API's by_day is daily then), months up to ten years, then years
  const short = d.from && d.to && daysBetween(d.from, d.to) <= 62 && (d.by_day_unit || 'day') === 'day';
  const months = Array.isArray(d.by_month) ? d.by_month : [];
  const unit = short ? 'day' : months.length > 120 ? 'year' : 'month';
  const series = unit === 'day' ? (d.by_day || []) : unit === 'year' ? yearsOf(months) : months;

  // Notes do not need Chart.js.
  const peakHour = byHour.reduce((best, r) => ((Number(r.minutes) || 0) > (Number(best?.minutes) || 0) ? r : best), null);
  $('#clock-note').textContent = peakHour && Number(peakHour.minutes) > 0
    ? `Your golden hour: ${hourLabel(peakHour.hour)}–${hourLabel((peakHour.hour + 1) % 24)}, with ${count(peakHour.minutes, 'minute', 'minutes')}.`
    : '';
  const peakDay = byWeekday.reduce((best, r) => ((Number(r.minutes) || 0) > (Number(best?.minutes) || 0) ? r : best), null);
  $('#weekday-note').textContent = peakDay && Number(peakDay.minutes) > 0
    ? `${weekdayLabel(peakDay.weekday, true)} is your day: ${count(peakDay.minutes, 'minute', 'minutes')}.`
    : '';
  $('#month-title').textContent = `Minutes per ${unit}`;

  if (typeof Chart === 'undefined') return;
  chartDefaults();

  // Listening clock: 24 equal slices, midnight at the top, coloured from night to day.
  const hours = Array.from({ length: 24 }, (_, h) => byHour.find((r) => Number(r.hour) === h) || { hour: h, minutes: 0, plays: 0 });
  const hourColour = (h) => {
    const day = (1 - Math.cos(((h - 1) / 24) * Math.PI * 2)) / 2; // 0 at ~1am, 1 at ~1pm
    const hue = 265 - day * 210; // violet at night -> warm orange/lime at midday
    return `hsla(${hue}, 90%, ${55 + day * 8}%, 0.85)`;
  };
  charts.clock = new Chart($('#chart-clock'), {
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
  charts.weekday = new Chart($('#chart-weekday'), {
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
        // whole numbers only, and 0 to 1 when there is nothing (else 0, 0.5, 1 read 0, 1, 1)
        y: { beginAtZero: true, suggestedMax: 1, ticks: { precision: 0, callback: (v) => fmtInt(v), maxTicksLimit: 5 } },
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
  const labels = series.map((r) => (unit === 'day' ? dayMonthFmt.format(parseDate(r.date))
    : unit === 'year' ? r.year : monthFmt.format(parseDate(`${r.month}-01`))));
  charts.month = new Chart(monthCanvas, {
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
        y: { beginAtZero: true, suggestedMax: 1, ticks: { precision: 0, callback: (v) => fmtInt(v), maxTicksLimit: 6 } },
      },
      plugins: { tooltip: tooltipBoth(series) },
    },
  });

  // Genres doughnut
  const genres = d.top_genres || [];
  if (genres.length > 0) {
    const key = d.rank === 'plays' ? 'plays' : 'minutes';
    charts.genres = new Chart($('#chart-genres'), {
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
