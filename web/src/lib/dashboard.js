// Pure helpers of the dashboards: the change of a figure against the period before, ratios in
// parts per million, the periods a segment breakdown accepts, and the fair rule's metric names.
// Counts are integers and amounts decimal strings; both are compared with BigInt, never floats.
import { toUnits } from './money.js';

function asUnits(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) * 100n : null;
  const p = toUnits(v, 2);
  if (!p) return null;
  return p.neg ? -p.units : p.units;
}

/**
 * The change of a figure against the previous period: {dir, pct, text}. `dir` is 'up', 'down'
 * or 'flat'; `pct` the change in percent with one decimal, half away from zero ("12.5"), null
 * when the previous period had 0 (no base to compare with); `text` is what a screen shows
 * ("+12.5%", "-3.0%", "0.0%", or "新增"/"new" is left to the screen when pct is null). Answers null
 * when either value is missing (a day not rolled up, a suppressed figure).
 */
export function periodChange(current, previous) {
  const c = asUnits(current);
  const p = asUnits(previous);
  if (c === null || p === null) return null;
  const diff = c - p;
  const dir = diff > 0n ? 'up' : diff < 0n ? 'down' : 'flat';
  if (p === 0n) return { dir, pct: diff === 0n ? '0.0' : null, text: diff === 0n ? '0.0%' : null };
  const base = p < 0n ? -p : p;
  const neg = diff < 0n;
  const mag = neg ? -diff : diff;
  // tenths of a percent, half-up on the magnitude
  const tenths = (mag * 2000n + base) / (2n * base);
  const pct = `${neg ? '-' : ''}${tenths / 10n}.${tenths % 10n}`;
  const text = `${diff > 0n ? '+' : ''}${pct}%`;
  return { dir, pct, text };
}

/** Parts per million as a percentage with `digits` decimals (truncated): 912345 → "91.2%". */
export function ppmPercent(ppm, digits = 1, fallback = '--') {
  if (ppm === null || ppm === undefined || !Number.isInteger(ppm)) return fallback;
  const neg = ppm < 0;
  const abs = BigInt(Math.abs(ppm));
  const scale = 10n ** BigInt(digits);
  const v = (abs * scale) / 10000n;
  const int = v / scale;
  const frac = digits ? `.${String(v % scale).padStart(digits, '0')}` : '';
  return `${neg && v !== 0n ? '-' : ''}${int}${frac}%`;
}

/** A share of a whole, `part / whole`, as a percentage with one decimal (truncated). */
export function sharePercent(part, whole, fallback = '--') {
  if (!Number.isInteger(part) || !Number.isInteger(whole) || whole <= 0) return fallback;
  return ppmPercent(Number((BigInt(part) * 1000000n) / BigInt(whole)), 1, fallback);
}

function ymd(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
}

function parseDay(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
}

/** A business date shifted by whole days: addDays("2026-03-01", -1) → "2026-02-28". */
export function addDays(date, days) {
  const d = parseDay(date);
  if (!d) return null;
  d.setUTCDate(d.getUTCDate() + days);
  return ymd(d);
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from, to) {
  const a = parseDay(from);
  const b = parseDay(to);
  if (!a || !b) return null;
  return Math.round((b - a) / 86400000) + 1;
}

/**
 * The period a segment breakdown accepts that holds `date`: the day itself, its Monday-to-
 * Sunday week, or its calendar month. Answers {from, to}.
 */
export function segmentPeriod(kind, date) {
  const d = parseDay(date);
  if (!d) return null;
  if (kind === 'week') {
    const back = (d.getUTCDay() + 6) % 7; // days since Monday
    const from = addDays(date, -back);
    return { from, to: addDays(from, 6) };
  }
  if (kind === 'month') {
    const from = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
    const to = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
    return { from: ymd(from), to: ymd(to) };
  }
  return { from: date, to: date };
}

/** The quick ranges of a dashboard, ending on `anchor` (the server's yesterday). */
export function quickRanges(anchor, lengths = [7, 30, 92]) {
  return lengths.map((n) => ({ days: n, from: addDays(anchor, -(n - 1)), to: anchor }));
}

/** The fair rule's metric catalogue (docs/fair-rule.md), with names and units. */
export const FAIR_METRICS = {
  question_response_time: { zh: '问题响应时长', en: 'Question response time', unit: 's', better: 'lower' },
  answer_rate: { zh: '问题回答率', en: 'Answer rate', unit: 'ppm', better: 'higher' },
  holder_retention_90d: { zh: '90日持有人留存', en: '90-day holder retention', unit: 'ppm', better: 'higher' },
  complaint_rate: { zh: '投诉率', en: 'Complaint rate', unit: 'ppm', better: 'lower' },
  compliance_record: { zh: '合规记录', en: 'Compliance record', unit: 'ppm', better: 'higher' },
  content_engagement: { zh: '内容互动', en: 'Content engagement', unit: 'ppm', better: 'higher' },
  follower_growth: { zh: '关注者增长', en: 'Follower growth', unit: 'ppm', better: 'higher' },
};

/** A metric input as text: seconds as "1小时30分"/"1h 30m", ppm as a percentage. */
export function metricValueText(metric, value, tr) {
  if (value === null || value === undefined) return tr('无数据', 'none');
  const unit = FAIR_METRICS[metric]?.unit;
  if (unit === 's') {
    const h = Math.floor(value / 3600);
    const m = Math.floor((value % 3600) / 60);
    const s = value % 60;
    if (h) return tr(`${h}小时${m}分`, `${h}h ${m}m`);
    if (m) return tr(`${m}分${s}秒`, `${m}m ${s}s`);
    return tr(`${s}秒`, `${s}s`);
  }
  if (metric === 'complaint_rate') return tr(`每万名持有人 ${(value / 100).toFixed(2)} 次`, `${(value / 100).toFixed(2)} per 10,000 holders`);
  return ppmPercent(value, 1);
}
