// The trade-date reconciliation (GET /api/v1/inst/trades): per product, the orders of a trade
// date T by status and what confirmation made of them, and the settlement, + the
// subscriptions' net − the redemptions' gross. A positive settlement is what the institution
// receives, a negative one what it pays. Pure helpers for the console page.
import { formatMoney, toUnits } from './money.js';
import { tr } from './i18n.js';
import { shiftDate, todayCst } from './time.js';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Whether `s` looks like a business date the picker can show ("2026-03-02"). */
export function isTradeDate(s) {
  return typeof s === 'string' && DATE.test(s);
}

/** The date shown without a choice: yesterday in UTC+8 (for a clock in ms, default now). */
export function defaultTradeDate(now = Date.now()) {
  return shiftDate(todayCst(now), -1, 'day');
}

/**
 * A settlement amount (a signed decimal string) → {dir, amount}: dir 'receivable' (positive:
 * the institution receives), 'payable' (negative: the institution pays) or 'zero'; amount is
 * the magnitude formatted ("4,564.24"). Anything that is not a decimal answers
 * {dir: null, amount: fallback}.
 */
export function settlementOf(value, fallback = '--') {
  const p = toUnits(value, 2);
  if (!p) return { dir: null, amount: fallback };
  const amount = formatMoney(String(value).trim().replace(/^[+-]/, ''));
  if (p.units === 0n) return { dir: 'zero', amount };
  return { dir: p.neg ? 'payable' : 'receivable', amount };
}

/** The colour class of a settlement's direction (console.css), '' when unknown. */
export function settlementClass(dir) {
  return dir ? `settle-${dir}` : '';
}

/** A settlement in words: "应收 4,564.24 元", "应付 5,422.63 元", "无应收应付"; fallback otherwise. */
export function settlementWords(value, fallback = '--') {
  const s = settlementOf(value, fallback);
  if (s.dir === 'receivable') return tr(`应收 ${s.amount} 元`, `Receivable ${s.amount} CNY`);
  if (s.dir === 'payable') return tr(`应付 ${s.amount} 元`, `Payable ${s.amount} CNY`);
  if (s.dir === 'zero') return tr('无应收应付', 'Nothing to settle');
  return fallback;
}

/** The settlement signed for a cell: "+4,564.24", "-5,422.63", "0.00". */
export function settlementSigned(value, fallback = '--') {
  return formatMoney(value, { sign: true, fallback });
}

const STATUSES = [
  ['accepted', '待确认', 'accepted'],
  ['confirmed', '确认', 'confirmed'],
  ['failed', '失败', 'failed'],
  ['cancelled', '撤单', 'cancelled'],
];

function count(n) {
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/**
 * The orders of one side ({orders, accepted, confirmed, failed, cancelled}) by status, the
 * statuses without orders left out: "确认 1，撤单 1". No orders answers ''; a side that is
 * not an object or has a count that is not a whole number ≥ 0 answers the fallback.
 */
export function statusBreakdown(side, fallback = '--') {
  if (!side || typeof side !== 'object') return fallback;
  const parts = [];
  for (const [key, zh, en] of STATUSES) {
    const n = count(side[key]);
    if (n === null) return fallback;
    if (n > 0) parts.push(tr(`${zh} ${n}`, `${n} ${en}`));
  }
  return parts.join(tr('，', ', '));
}

/** {subscriptions, redemptions}: the orders of all the products of a report, per side. */
export function orderCounts(products) {
  const out = { subscriptions: 0, redemptions: 0 };
  for (const p of Array.isArray(products) ? products : []) {
    for (const side of ['subscriptions', 'redemptions']) {
      const n = count(p?.[side]?.orders);
      if (n !== null) out[side] += n;
    }
  }
  return out;
}
