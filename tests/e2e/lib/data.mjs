// The NAV history the institution uploads: the trading days of the year before the journey's
// trade date, a gentle path that never moves 10% in a day (that would need a second
// confirmation).

/** 'YYYY-MM-DD' dates from `first` to `last` inclusive that are weekdays outside closures. */
export function tradingDays(first, last, closures) {
  const out = [];
  const closed = (d) => closures.some((c) => d >= c.first_day && d <= c.last_day);
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86400000) {
    const d = new Date(t);
    const day = d.getUTCDay();
    const s = d.toISOString().slice(0, 10);
    if (day !== 0 && day !== 6 && !closed(s)) out.push(s);
  }
  return out;
}

function e4(x) {
  return (Math.round(x * 10000) / 10000).toFixed(4);
}

/** CSV lines `date,nav,acc_nav` with a header. */
export function navCsv(days) {
  const lines = ['date,nav,acc_nav'];
  days.forEach((d, i) => {
    const nav = 1 + i * 0.0009 + 0.03 * Math.sin(i / 9);
    lines.push(`${d},${e4(nav)},${e4(nav + 0.15)}`);
  });
  return `${lines.join('\n')}\n`;
}
