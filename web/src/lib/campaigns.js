// Campaign forms in the console: the request body built from the form's values (and a stored
// campaign turned back into them, to edit it), the period checked before sending, the part of a
// budget spent as a whole percentage (BigInt, never a float), the rule a forbidden campaign
// broke, in words, and what staff may do to a campaign in its state.
import { toUnits } from './money.js';

export const RATE_INPUT = /^(0|[1-9]\d*)(\.\d{1,6})?$/;
export const MAX_CAMPAIGN_DAYS = 366;
export const STOP_REASON_MAX = 200; // LIMIT_CAMPAIGN_STOP_REASON_CHARS_MAX on the server

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days from `start` to `end` ('YYYY-MM-DD'), both counted; null when either is not a date. */
export function daysInclusive(start, end) {
  const a = DATE.exec(start ?? '');
  const b = DATE.exec(end ?? '');
  if (!a || !b) return null;
  const ms = (m) => Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round((ms(b) - ms(a)) / 86400000) + 1;
}

/**
 * What is wrong with a period before it is sent: 'order' (ends before it starts), 'too_long'
 * (more than 366 days, both counted) or null. Whether it has already ended is the server's
 * to say: its business clock decides what today is.
 */
export function periodProblem(start, end) {
  const days = daysInclusive(start, end);
  if (days === null) return null;
  if (days < 1) return 'order';
  if (days > MAX_CAMPAIGN_DAYS) return 'too_long';
  return null;
}

/** The segments a campaign of this type may address. */
export function segmentsFor(type) {
  return type === 'segment_message' ? ['followers', 'holders']
    : ['all', 'new_investors', 'risk', 'holders'];
}

/**
 * The body of POST /api/v1/inst/campaigns from the form's values: only the members the type
 * takes, so that the server never refuses a member that belongs to another type.
 */
export function campaignBody(v) {
  const body = {
    type: v.type,
    name: (v.name ?? '').trim(),
    text: (v.text ?? '').trim(),
    start_date: v.start_date,
    end_date: v.end_date,
  };
  const products = (v.product_ids ?? []).filter((x) => x !== undefined && x !== null && x !== '');
  if (v.type === 'fee_discount') {
    body.budget = String(v.budget ?? '').trim();
    body.discount = String(v.discount ?? '').trim();
    body.product_ids = products;
  } else if (v.type === 'content_promotion') {
    body.content_id = v.content_id;
    if (products.length > 0) body.product_ids = products;
  }
  const segment = v.segment ?? (v.type === 'segment_message' ? 'followers' : 'all');
  if (segment !== 'all') body.segment = segment;
  if (segment === 'risk') body.risk_classes = v.risk_classes ?? [];
  if (segment === 'holders' && v.segment_product_id) body.segment_product_id = v.segment_product_id;
  return body;
}

/** spent ÷ budget as a whole percentage, 0 to 100, rounded down; 0 when there is no budget. */
export function budgetPercent(spent, budget) {
  const s = toUnits(spent, 2);
  const b = toUnits(budget, 2);
  if (!s || !b || b.neg || s.neg || b.units === 0n) return 0;
  const p = (s.units * 100n) / b.units;
  return Number(p > 100n ? 100n : p);
}

/**
 * A `forbidden_campaign` problem as {code, zh, en, field, match}: the rule's stable code, the
 * rule in words in both languages, the member at fault and, when wording gave it away, where
 * (a byte span of that member's text), what was written and the word it reads as.
 */
export function forbiddenRule(problem) {
  if (!problem || problem.code !== 'forbidden_campaign') return null;
  return {
    code: problem.rule ?? '',
    zh: problem.rule_zh ?? problem.detail ?? '',
    en: problem.rule_en ?? problem.detail ?? '',
    field: problem.field ?? problem.match?.field ?? null,
    match: problem.match ?? null,
  };
}

/** "0.500000" → "0.5", "1.000000" → "1": a stored rate as a person would type it. */
function plainDecimal(s) {
  if (typeof s !== 'string' || !s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * A stored campaign as the create form's values, so that editing starts from what is stored:
 * campaignBody(campaignValues(k)) is the body that would create it again. Dates stay
 * 'YYYY-MM-DD' strings (the page turns them into the pickers' values).
 */
export function campaignValues(k) {
  const a = k.audience ?? { segment: 'all', risk_classes: [], product_id: null };
  const v = {
    type: k.type,
    name: k.name,
    text: k.text,
    start_date: k.start_date,
    end_date: k.end_date,
    product_ids: [...(k.product_ids ?? [])],
    segment: a.segment,
  };
  if (k.type === 'fee_discount') {
    v.discount = plainDecimal(k.discount);
    v.budget = k.budget;
  }
  if (k.content_id) v.content_id = k.content_id;
  if (a.risk_classes?.length) v.risk_classes = [...a.risk_classes];
  if (a.product_id) v.segment_product_id = a.product_id;
  return v;
}

/**
 * What staff who may edit can do to a campaign in its state, as the server allows it
 * (core/campaign.c): edit a draft or a rejected one, submit a draft, withdraw a pending one,
 * stop an approved one that has not ended (running or not, budget spent or not), except a
 * segment message once its message went out (`message_sent_ms`): that cannot be taken back.
 */
export function campaignActions(k) {
  const live = ['approved', 'running', 'exhausted'].includes(k?.status);
  return {
    edit: k?.status === 'draft' || k?.status === 'rejected',
    submit: k?.status === 'draft',
    withdraw: k?.status === 'pending',
    stop: live && (k.type !== 'segment_message' || k.message_sent_ms == null),
  };
}
