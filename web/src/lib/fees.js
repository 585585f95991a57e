// A fee preview for a subscription, by the same rule the server confirms with (DESIGN §5,
// 外扣法), in BigInt: rate = list × discount (half-up to the ppm); net = amount / (1 + rate),
// half-up to the fen; fee = amount − net; shares = net / NAV by the product's rounding. A
// fixed-fee tier charges the fixed fee, undiscounted. It is an estimate at the latest NAV:
// the order confirms at NAV(T), which is unknown when it is placed (未知价).
//
// A fee-discount campaign takes a share off what is left, as core/fee.c
// (fee_quote_subscription_campaign) does at confirmation:
//   r1 = list × platform discount, half-up to the ppm; fee1 = the fee at r1
//   r2 = r1 × (1 − campaign discount), half-up to the ppm; fee2 = the fee at r2
//   off = min(fee1 − fee2, budget left); fee = fee1 − off
// The app does not know the budget left (the institution's figure): its preview assumes the
// whole discount, which confirmation gives while the budget lasts.
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
 * subscriptionQuote(product, "5000", campaign?) → {fee, net, shares|null, rate|null,
 * fixed|null, listRate|null, nav|null, navDate|null, platformRate|null, campaignOff|null,
 * feeBeforeCampaign}; null when the amount is not a decimal. `campaign` is
 * {discount: "0.500000", budgetLeft?: "10.00"}: the campaign's share of the fee taken off and,
 * when known, the budget it has left (without it, the whole discount). `rate` is the rate
 * charged: r2 when the whole campaign discount is given, r1 otherwise, as on the server.
 */
export function subscriptionQuote(product, amount, campaign = null) {
  const a = units(amount, 2);
  if (a === null || a <= 0n) return null;
  const tier = subTier(product?.fees?.subscription, amount);
  if (!tier) return null;
  let net;
  let rate = null;
  let platformRate = null;
  let campaignOff = null;
  if (tier.fixed !== undefined && tier.fixed !== null) {
    net = a - units(tier.fixed, 2);
    if (net < 0n) net = 0n;
    if (campaign) campaignOff = '0.00';
  } else {
    const r1 = mulDiv(units(tier.rate, 6), units(product.fee_discount ?? '1', 6), PPM,
      'half_up');
    platformRate = fromUnits(r1, 6);
    rate = platformRate;
    net = mulDiv(a * PPM, 1n, PPM + r1, 'half_up');
    const off = campaign ? units(campaign.discount, 6) : null;
    if (off !== null && off > 0n && off <= PPM) {
      const r2 = mulDiv(r1, PPM - off, PPM, 'half_up');
      const whole = mulDiv(a * PPM, 1n, PPM + r2, 'half_up') - net;
      const left = campaign.budgetLeft == null ? null : units(campaign.budgetLeft, 2);
      const taken = left !== null && left < whole ? (left > 0n ? left : 0n) : whole;
      if (taken === whole) rate = fromUnits(r2, 6);
      campaignOff = fromUnits(taken, 2);
      net += taken;
    } else if (campaign) {
      campaignOff = '0.00';
    }
  }
  const nav = product?.latest_nav?.nav ?? null;
  let shares = null;
  if (nav !== null && units(nav, 4) > 0n) {
    shares = fromUnits(mulDiv(net, 10000n, units(nav, 4), product.share_rounding ?? 'half_up'),
      2);
  }
  const fee = a - net;
  return {
    fee: fromUnits(fee, 2),
    net: fromUnits(net, 2),
    shares,
    rate,
    listRate: tier.rate ?? null,
    fixed: tier.fixed ?? null,
    nav,
    navDate: product?.latest_nav?.date ?? null,
    platformRate,
    campaignOff,
    feeBeforeCampaign: fromUnits(fee + (campaignOff === null ? 0n : units(campaignOff, 2)), 2),
  };
}

/** shares × NAV, half-up to the fen: an estimate of a redemption's gross value. */
export function grossValue(shares, nav) {
  const s = units(shares, 2);
  const n = units(nav, 4);
  if (s === null || n === null) return null;
  return fromUnits(mulDiv(s, n, 10000n, 'half_up'), 2);
}
