// A fee preview for a subscription, by the same rule the server confirms with (DESIGN §5,
// 外扣法), in BigInt: rate = list × discount (half-up to the ppm); net = amount / (1 + rate),
// half-up to the fen; fee = amount − net; shares = net / NAV by the product's rounding. A
// fixed-fee tier charges the fixed fee, undiscounted. It is an estimate at the latest NAV:
// the order confirms at NAV(T), which is unknown when it is placed (未知价).
import { fromUnits, toUnits } from './money.js';

const PPM = 1000000n;

function units(s, scale) {
  const p = toUnits(s, scale);
  if (!p) return null;
  return p.neg ? -p.units : p.units;
}

function mulDiv(a, b, c, mode) {
  const n = a * b;
  const q = n / c;
  const r = n % c;
  return mode === 'half_up' && 2n * r >= c ? q + 1n : q;
}

/** The subscription tier an amount falls in, or null. */
export function subTier(tiers, amount) {
  const a = units(amount, 2);
  if (a === null) return null;
  return (tiers ?? []).find((t) => a >= units(t.min_amount, 2)
    && (t.max_amount === null || t.max_amount === undefined || a < units(t.max_amount, 2)))
    ?? null;
}

/**
 * subscriptionQuote(product, "5000") → {fee, net, shares|null, rate|null, fixed|null,
 * listRate|null, nav|null, navDate|null}; null when the amount is not a decimal.
 */
export function subscriptionQuote(product, amount) {
  const a = units(amount, 2);
  if (a === null || a <= 0n) return null;
  const tier = subTier(product?.fees?.subscription, amount);
  if (!tier) return null;
  let net;
  let rate = null;
  if (tier.fixed !== undefined && tier.fixed !== null) {
    net = a - units(tier.fixed, 2);
    if (net < 0n) net = 0n;
  } else {
    const applied = mulDiv(units(tier.rate, 6), units(product.fee_discount ?? '1', 6), PPM,
      'half_up');
    rate = fromUnits(applied, 6);
    net = mulDiv(a * PPM, 1n, PPM + applied, 'half_up');
  }
  const nav = product?.latest_nav?.nav ?? null;
  let shares = null;
  if (nav !== null && units(nav, 4) > 0n) {
    shares = fromUnits(mulDiv(net, 10000n, units(nav, 4), product.share_rounding ?? 'half_up'),
      2);
  }
  return {
    fee: fromUnits(a - net, 2),
    net: fromUnits(net, 2),
    shares,
    rate,
    listRate: tier.rate ?? null,
    fixed: tier.fixed ?? null,
    nav,
    navDate: product?.latest_nav?.date ?? null,
  };
}

/** shares × NAV, half-up to the fen: an estimate of a redemption's gross value. */
export function grossValue(shares, nav) {
  const s = units(shares, 2);
  const n = units(nav, 4);
  if (s === null || n === null) return null;
  return fromUnits(mulDiv(s, n, 10000n, 'half_up'), 2);
}
