import { describe, expect, test } from 'vitest';
import { grossValue, subscriptionQuote, subTier } from '../src/lib/fees.js';

const product = (over = {}) => ({
  fees: { subscription: [
    { min_amount: '0.00', max_amount: '1000000.00', rate: '0.012000' },
    { min_amount: '1000000.00', max_amount: null, fixed: '1000.00' },
  ] },
  fee_discount: '1.000000', share_rounding: 'half_up', latest_nav: { nav: '1.1280', date: '2026-03-02' },
  ...over,
});

describe('subscription quote (外扣法)', () => {
  test('the prospectus example: 5,000.00 at 1.2%, NAV 1.1280', () => {
    const q = subscriptionQuote(product(), '5000');
    expect(q).toMatchObject({ net: '4940.71', fee: '59.29', shares: '4380.06', rate: '0.012000' });
  });
  test('the platform discount applies to the rate (1折)', () => {
    const q = subscriptionQuote(product({ fee_discount: '0.100000' }), '10000');
    // rate 0.12%: net = 10000 / 1.0012 = 9988.01
    expect(q.rate).toBe('0.001200');
    expect(q.net).toBe('9988.01');
    expect(q.fee).toBe('11.99');
  });
  test('a fixed fee per order is not discounted', () => {
    const q = subscriptionQuote(product({ fee_discount: '0.100000' }), '2000000');
    expect(q.fixed).toBe('1000.00');
    expect(q.fee).toBe('1000.00');
    expect(q.net).toBe('1999000.00');
  });
  test('tiers: lower bound inclusive, upper bound exclusive', () => {
    const p = product();
    expect(subTier(p.fees.subscription, '999999.99').rate).toBe('0.012000');
    expect(subTier(p.fees.subscription, '1000000').fixed).toBe('1000.00');
  });
  test('truncating share rounding, and no NAV yet', () => {
    const t = subscriptionQuote(product({ share_rounding: 'truncate' }), '5000');
    expect(t.shares).toBe('4380.06');
    const none = subscriptionQuote(product({ latest_nav: null }), '5000');
    expect(none.shares).toBe(null);
    expect(none.fee).toBe('59.29');
  });
  test('bad amounts answer null', () => {
    expect(subscriptionQuote(product(), 'abc')).toBe(null);
    expect(subscriptionQuote(product(), '0')).toBe(null);
  });
  test('gross value of a redemption, half-up to the fen', () => {
    expect(grossValue('1000.00', '1.2345')).toBe('1234.50');
    expect(grossValue('0.01', '1.5000')).toBe('0.02');
  });
});
