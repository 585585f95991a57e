import { describe, expect, test } from 'vitest';
import {
  budgetPercent, campaignActions, campaignBody, campaignValues, daysInclusive, forbiddenRule, periodProblem, RATE_INPUT,
  segmentsFor,
} from '../src/lib/campaigns.js';

describe('the campaign period', () => {
  test('days are counted with both ends', () => {
    expect(daysInclusive('2026-03-02', '2026-03-02')).toBe(1);
    expect(daysInclusive('2026-03-02', '2026-03-31')).toBe(30);
    expect(daysInclusive('2026-02-28', '2026-03-01')).toBe(2);
    expect(daysInclusive('2028-02-28', '2028-03-01')).toBe(3); // a leap year
    expect(daysInclusive('bad', '2026-03-01')).toBe(null);
  });
  test('a period that ends before it starts, or is longer than 366 days, is refused before sending', () => {
    expect(periodProblem('2026-03-02', '2026-03-01')).toBe('order');
    expect(periodProblem('2026-03-02', '2027-03-02')).toBe(null); // 366 days
    expect(periodProblem('2026-03-02', '2027-03-03')).toBe('too_long');
    expect(periodProblem('2026-03-02', '2026-03-02')).toBe(null);
  });
});

describe('campaignBody', () => {
  const common = { name: ' 春季申购费率优惠 ', text: '再享5折。', start_date: '2026-03-02', end_date: '2026-03-31' };
  test('a fee discount sends its budget, discount and products, and no segment for everyone', () => {
    expect(campaignBody({ ...common, type: 'fee_discount', budget: '1000', discount: '0.5', product_ids: ['7', '9'], segment: 'all', content_id: '3' }))
      .toEqual({ type: 'fee_discount', name: '春季申购费率优惠', text: '再享5折。', start_date: '2026-03-02',
        end_date: '2026-03-31', budget: '1000', discount: '0.5', product_ids: ['7', '9'] });
  });
  test('a promotion sends its content, and products only when some are chosen', () => {
    const b = campaignBody({ ...common, type: 'content_promotion', content_id: '3', product_ids: [], budget: '5', discount: '0.5' });
    expect(b.content_id).toBe('3');
    expect(b).not.toHaveProperty('product_ids');
    expect(b).not.toHaveProperty('budget');
    expect(b).not.toHaveProperty('discount');
  });
  test('a segment message goes to followers unless holders are chosen', () => {
    expect(campaignBody({ ...common, type: 'segment_message' }).segment).toBe('followers');
    expect(campaignBody({ ...common, type: 'segment_message', segment: 'holders', segment_product_id: '9' }))
      .toMatchObject({ segment: 'holders', segment_product_id: '9' });
  });
  test('a risk segment carries its categories; holders their product', () => {
    expect(campaignBody({ ...common, type: 'fee_discount', segment: 'risk', risk_classes: ['C3', 'C4'] }).risk_classes)
      .toEqual(['C3', 'C4']);
    const h = campaignBody({ ...common, type: 'fee_discount', segment: 'holders', segment_product_id: '9', risk_classes: ['C1'] });
    expect(h.segment_product_id).toBe('9');
    expect(h).not.toHaveProperty('risk_classes');
  });
  test('the segments each type may address', () => {
    expect(segmentsFor('segment_message')).toEqual(['followers', 'holders']);
    expect(segmentsFor('fee_discount')).toContain('new_investors');
  });
});

describe('budgetPercent', () => {
  test('spent over budget in whole percent, rounded down, never past 100', () => {
    expect(budgetPercent('0.00', '1000.00')).toBe(0);
    expect(budgetPercent('333.33', '1000.00')).toBe(33);
    expect(budgetPercent('999.99', '1000.00')).toBe(99);
    expect(budgetPercent('1000.00', '1000.00')).toBe(100);
    expect(budgetPercent('1200.00', '1000.00')).toBe(100);
  });
  test('no budget, or not a figure, is 0', () => {
    expect(budgetPercent('5.00', '0.00')).toBe(0);
    expect(budgetPercent('x', '10')).toBe(0);
  });
  test('amounts past the range of a float stay exact', () => {
    expect(budgetPercent('45035996273704.96', '90071992547409.93')).toBe(49);
  });
});

describe('forbiddenRule', () => {
  test('the rule, its words and where the wording gave it away', () => {
    const p = { code: 'forbidden_campaign', detail: 'x', rule: 'no_red_packet', rule_zh: '禁止以红包方式销售基金',
      rule_en: 'No red packets', field: 'name', match: { field: 'name', start: 6, end: 12, text: '红包', word: '红包' } };
    expect(forbiddenRule(p)).toEqual({ code: 'no_red_packet', zh: '禁止以红包方式销售基金', en: 'No red packets',
      field: 'name', match: p.match });
  });
  test('another problem is not a forbidden campaign', () => {
    expect(forbiddenRule({ code: 'invalid_field' })).toBe(null);
    expect(forbiddenRule(null)).toBe(null);
  });
});

test('a discount is a rate of at most six decimals', () => {
  expect(RATE_INPUT.test('0.5')).toBe(true);
  expect(RATE_INPUT.test('1')).toBe(true);
  expect(RATE_INPUT.test('0.1234567')).toBe(false);
  expect(RATE_INPUT.test('.5')).toBe(false);
});

describe('campaignValues: a stored campaign back into the form, to edit it', () => {
  const stored = (extra) => ({
    id: '1', type: 'fee_discount', name: '春季申购费率优惠', text: '再享5折。', start_date: '2026-03-02', end_date: '2026-03-31',
    status: 'rejected', budget: '1000.00', spent: '0.00', discount: '0.500000', content_id: null, product_ids: ['7', '9'],
    audience: { segment: 'all', risk_classes: [], product_id: null }, ...extra,
  });
  test('a fee discount round-trips to the body that created it, its rate as typed', () => {
    const v = campaignValues(stored());
    expect(v.discount).toBe('0.5');
    expect(campaignBody(v)).toEqual({ type: 'fee_discount', name: '春季申购费率优惠', text: '再享5折。', start_date: '2026-03-02',
      end_date: '2026-03-31', budget: '1000.00', discount: '0.5', product_ids: ['7', '9'] });
    expect(campaignValues(stored({ discount: '1.000000' })).discount).toBe('1');
    expect(campaignValues(stored({ discount: '0.125000' })).discount).toBe('0.125');
  });
  test('an audience by risk or of holders comes back with its classes or product', () => {
    const risk = campaignValues(stored({ audience: { segment: 'risk', risk_classes: ['C3', 'C4'], product_id: null } }));
    expect(campaignBody(risk)).toMatchObject({ segment: 'risk', risk_classes: ['C3', 'C4'] });
    const holders = campaignValues(stored({ product_ids: ['9'], audience: { segment: 'holders', risk_classes: [], product_id: '9' } }));
    expect(campaignBody(holders)).toMatchObject({ segment: 'holders', segment_product_id: '9', product_ids: ['9'] });
  });
  test('a promotion keeps its content, a message its segment, and neither gets a budget', () => {
    const p = campaignValues(stored({ type: 'content_promotion', discount: null, budget: '0.00', content_id: '3', product_ids: [] }));
    expect(campaignBody(p)).toEqual({ type: 'content_promotion', name: '春季申购费率优惠', text: '再享5折。', start_date: '2026-03-02',
      end_date: '2026-03-31', content_id: '3' });
    const m = campaignValues(stored({ type: 'segment_message', discount: null, budget: '0.00', product_ids: [],
      audience: { segment: 'followers', risk_classes: [], product_id: null } }));
    expect(campaignBody(m)).not.toHaveProperty('budget');
    expect(campaignBody(m).segment).toBe('followers');
  });
  test('the form\'s arrays are copies: editing them leaves the stored campaign alone', () => {
    const k = stored();
    campaignValues(k).product_ids.push('11');
    expect(k.product_ids).toEqual(['7', '9']);
  });
});

describe('campaignActions: what staff may do in each state', () => {
  const all = ['draft', 'pending', 'rejected', 'approved', 'running', 'ended', 'exhausted', 'stopped'];
  const allowed = (type, action) => all.filter((status) => campaignActions({ type, status })[action]);
  test('edit a draft or a rejected one, submit a draft, withdraw a pending one', () => {
    expect(allowed('fee_discount', 'edit')).toEqual(['draft', 'rejected']);
    expect(allowed('segment_message', 'edit')).toEqual(['draft', 'rejected']);
    expect(allowed('content_promotion', 'submit')).toEqual(['draft']);
    expect(allowed('segment_message', 'withdraw')).toEqual(['pending']);
  });
  test('stop an approved campaign that has not ended, but never a sent message', () => {
    expect(allowed('fee_discount', 'stop')).toEqual(['approved', 'running', 'exhausted']);
    expect(allowed('content_promotion', 'stop')).toEqual(['approved', 'running', 'exhausted']);
    const sent = (status) => campaignActions({ type: 'segment_message', status, message_sent_ms: 1 });
    expect(all.filter((status) => sent(status).stop)).toEqual([]);
    // Approved before its first day, waiting to be delivered: it may still be stopped.
    expect(allowed('segment_message', 'stop')).toEqual(['approved', 'running', 'exhausted']);
  });
  test('no campaign yet: nothing', () => {
    expect(campaignActions(undefined)).toEqual({ edit: false, submit: false, withdraw: false, stop: false });
  });
});
