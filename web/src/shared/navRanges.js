// NAV chart ranges and the period return the rules allow to be shown.
import dayjs from 'dayjs';
import { fromUnits, toUnits } from '../lib/money.js';

export const RANGES = [
  { key: '1m', zh: '近1月', en: '1M', months: 1 },
  { key: '3m', zh: '近3月', en: '3M', months: 3 },
  { key: '6m', zh: '近6月', en: '6M', months: 6 },
  { key: '1y', zh: '近1年', en: '1Y', months: 12 },
  { key: 'ytd', zh: '今年来', en: 'YTD' },
  { key: 'all', zh: '成立来', en: 'All' },
];

/** The first date of a range ending at `last` ('YYYY-MM-DD'); null for the whole history. */
export function rangeStart(key, last) {
  const r = RANGES.find((x) => x.key === key);
  if (!r || key === 'all') return null;
  if (key === 'ytd') return `${last.slice(0, 4)}-01-01`;
  return dayjs(last).subtract(r.months, 'month').format('YYYY-MM-DD');
}

export function pointsInRange(items, key) {
  if (!items?.length) return [];
  const start = rangeStart(key, items[items.length - 1].date);
  return start ? items.filter((p) => p.date >= start) : items;
}

function e4(s) {
  const p = toUnits(s, 4);
  return p ? (p.neg ? -p.units : p.units) : null;
}

/**
 * The return over the points, from the accumulated NAV: (acc_end − acc_start) / nav_start,
 * as a percentage string with two decimals ("12.34"), or null.
 */
export function periodReturn(points) {
  if (!points || points.length < 2) return null;
  const a = points[0];
  const b = points[points.length - 1];
  const start = e4(a.nav);
  const d = e4(b.acc_nav) - e4(a.acc_nav);
  if (!start || start <= 0n) return null;
  // percent × 100, half away from zero
  const n = d * 1000000n;
  let q = n / start;
  const r = n % start;
  if (2n * (r < 0n ? -r : r) >= start) q += d < 0n ? -1n : 1n;
  // q is in units of 0.0001 %: to two decimals
  let q2 = q / 100n;
  const r2 = q % 100n;
  if ((r2 < 0n ? -r2 : r2) >= 50n) q2 += q < 0n ? -1n : 1n;
  return fromUnits(q2, 2);
}

/**
 * Whether a return over [first, last] may be shown: the sales rules forbid showing
 * performance for periods under six months, and for funds with under six months of history.
 */
export function returnAllowed(historyFirst, first, last) {
  const sixBefore = dayjs(last).subtract(6, 'month').format('YYYY-MM-DD');
  return historyFirst <= sixBefore && first <= sixBefore;
}

/**
 * A money-market fund's chart and summary: its NAV stays 1.0000, so what moves is the 7-day
 * annualised yield. The points that have one (a fund's first six days have none), as
 * {date, yield: number (percent, for drawing only)}, and the latest point's yield and 万份收益 as
 * the decimal strings the server gave.
 */
export function moneyMarketSeries(points) {
  const withYield = (points ?? []).filter((p) => typeof p.yield_7d === 'string');
  const last = withYield[withYield.length - 1] ?? null;
  return {
    data: withYield.map((p) => ({ date: p.date, yield: Number(p.yield_7d) })),
    latest: last ? { date: last.date, yield_7d: last.yield_7d, income_per_10k: last.income_per_10k ?? null } : null,
  };
}
