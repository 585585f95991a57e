// Money, shares, NAV and rates arrive as decimal strings ("12345.67"). They are formatted
// here with string and BigInt arithmetic only: a float never touches an amount.

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** Parses a decimal string into {neg, units: BigInt} at `scale` decimals, half-up. */
export function toUnits(value, scale) {
  const m = DECIMAL.exec(String(value ?? '').trim());
  if (!m) return null;
  const [, sign, int, frac = ''] = m;
  let units = BigInt(int + frac.slice(0, scale).padEnd(scale, '0'));
  if (frac.length > scale && frac.charCodeAt(scale) >= 53 /* '5' */) units += 1n;
  return { neg: sign === '-' && units !== 0n, units };
}

/** BigInt units at `scale` → plain decimal string ("-1234.50"), no grouping. */
export function fromUnits(units, scale) {
  const neg = units < 0n;
  const s = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const out = scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`;
  return neg ? `-${out}` : out;
}

function group(int) {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A decimal string with `scale` decimals (half-up) and thousands separators:
 * formatDecimal("1234567.5", 2) → "1,234,567.50". Anything that is not a decimal
 * answers the fallback ("--").
 */
export function formatDecimal(value, scale = 2, { fallback = '--', sign = false } = {}) {
  const p = toUnits(value, scale);
  if (!p) return fallback;
  const plain = fromUnits(p.units, scale);
  const [int, frac] = plain.split('.');
  const body = frac === undefined ? group(int) : `${group(int)}.${frac}`;
  if (p.neg) return `-${body}`;
  return sign && p.units !== 0n ? `+${body}` : body;
}

/** CNY with two decimals and separators: "1,234.50". */
export function formatMoney(value, opts) {
  return formatDecimal(value, 2, opts);
}

/** "¥1,234.50" */
export function formatYuan(value, opts) {
  const s = formatMoney(value, opts);
  if (s === (opts?.fallback ?? '--')) return s;
  return s.startsWith('-') ? `-¥${s.slice(1)}` : s.startsWith('+') ? `+¥${s.slice(1)}` : `¥${s}`;
}

export function formatShares(value, opts) {
  return formatDecimal(value, 2, opts);
}

export function formatNav(value, opts) {
  return formatDecimal(value, 4, opts);
}

/** A fraction ("0.015000") as a percentage with `digits` decimals: "1.50%". */
export function formatRate(value, digits = 2, { fallback = '--' } = {}) {
  const p = toUnits(value, digits + 2);
  if (!p) return fallback;
  return `${p.neg ? '-' : ''}${fromUnits(p.units, digits)}%`;
}

/** Compares two decimal strings: -1, 0 or 1 (null when either is not a decimal). */
export function compareDecimal(a, b, scale = 6) {
  const x = toUnits(a, scale);
  const y = toUnits(b, scale);
  if (!x || !y) return null;
  const vx = x.neg ? -x.units : x.units;
  const vy = y.neg ? -y.units : y.units;
  return vx < vy ? -1 : vx > vy ? 1 : 0;
}

/** Whether a user's input is an amount the API accepts (MoneyInput: ≤ 2 decimals). */
export function isMoneyInput(s) {
  return /^(0|[1-9]\d*)(\.\d{1,2})?$/.test(String(s ?? ''));
}
