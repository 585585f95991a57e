// Fee-discount campaigns as the investor app shows them (GET
// /api/v1/investor/products/{id}/campaigns): what an offer takes off, in the words investors
// read (折: the share of the fee still paid), which one to preselect, and the accurate words
// about its budget. The discount comes on top of the platform's own: "再享5折" halves the fee
// already discounted by the platform; a fixed fee per order is never discounted.
import { tr } from './i18n.js';
import { fromUnits, toUnits } from './money.js';

const PPM = 1000000n;

function ppm(discount) {
  const p = toUnits(discount, 6);
  return p && !p.neg && p.units > 0n && p.units <= PPM ? p.units : null;
}

/** A decimal string without trailing zeros: "7.50" → "7.5", "5.0" → "5". */
function trim(s) {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * The 折 of an offer: tenths of the fee still paid. "0.500000" → "5", "0.25" → "7.5",
 * "0.125" → "8.75"; "1" (the rate fee waived) → "0"; null when not a discount in (0, 1].
 */
export function offerZhe(discount) {
  const d = ppm(discount);
  return d === null ? null : trim(fromUnits(PPM - d, 5));
}

/** The share taken off as a percentage: "0.500000" → "50", "0.125" → "12.5". */
export function offerPercent(discount) {
  const d = ppm(discount);
  return d === null ? null : trim(fromUnits(d, 4));
}

/** The tag of an offer: 申购费再享5折, or 申购费全免 when it waives the rate fee. */
export function offerTag(discount) {
  const zhe = offerZhe(discount);
  if (zhe === null) return '';
  if (zhe === '0') return tr('申购费率全免', 'Rate fee waived');
  return tr(`申购费再享${zhe}折`, `Extra ${offerPercent(discount)}% off the fee`);
}

/** When it ends and what its budget means, in words that promise nothing more. */
export function offerNote(offer) {
  return tr(`活动至 ${offer.end_date}，优惠预算有限，用完即止；优惠在份额确认时按剩余预算计算`,
    `Until ${offer.end_date}. The budget is limited and the offer ends when it is spent; the discount is taken at confirmation from what is left`);
}

/** The offer to preselect: the largest discount (the first of equals, as the server orders). */
export function bestOffer(items) {
  let best = null;
  for (const k of items ?? []) {
    const d = ppm(k.discount);
    if (d !== null && (best === null || d > best.d)) best = { d, k };
  }
  return best?.k ?? null;
}
