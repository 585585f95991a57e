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

// The campaign discount on top of the platform's, mirroring core/fee.c's
// fee_quote_subscription_campaign and its unit tests (tests/unit/test_fee.c, test_sub_campaign)
// and the worked example of docs/campaigns.md.
describe('subscription quote through a fee-discount campaign', () => {
  // sub_equity() of the C tests: 0.8% below 1,000,000, 0.5% below 5,000,000, then 1,000.00 fixed.
  const equity = (discount, nav = '1.2345') => ({
    fees: { subscription: [
      { min_amount: '0.00', max_amount: '1000000.00', rate: '0.008000' },
      { min_amount: '1000000.00', max_amount: '5000000.00', rate: '0.005000' },
      { min_amount: '5000000.00', max_amount: null, fixed: '1000.00' },
    ] },
    fee_discount: discount, share_rounding: 'half_up', latest_nav: { nav, date: '2026-03-02' },
  });
  test('the published example: 10,000.00, 0.8%, platform 1折, campaign 50% off', () => {
    const q = subscriptionQuote(equity('0.100000'), '10000', { discount: '0.500000' });
    // r1 = 800 ppm, fee1 7.99; r2 = 400 ppm, fee2 4.00; the campaign takes 3.99.
    expect(q).toMatchObject({ platformRate: '0.000800', rate: '0.000400', campaignOff: '3.99',
      fee: '4.00', net: '9996.00', shares: '8097.21', feeBeforeCampaign: '7.99' });
  });
  test('without a campaign the quote is the plain one, to the fen', () => {
    const plain = subscriptionQuote(equity('0.100000'), '10000');
    expect(plain).toMatchObject({ fee: '7.99', net: '9992.01', rate: '0.000800',
      campaignOff: null, feeBeforeCampaign: '7.99' });
  });
  test('the budget left caps it: 1.00 left gives 1.00 off and the rate stays r1', () => {
    const q = subscriptionQuote(equity('0.100000'), '10000',
      { discount: '0.5', budgetLeft: '1.00' });
    expect(q).toMatchObject({ campaignOff: '1.00', fee: '6.99', net: '9993.01',
      rate: '0.000800' });
    const none = subscriptionQuote(equity('0.100000'), '10000',
      { discount: '0.5', budgetLeft: '0.00' });
    expect(none).toMatchObject({ campaignOff: '0.00', fee: '7.99' });
  });
  test('100% off waives the rate fee and no more', () => {
    const q = subscriptionQuote(equity('1.000000', '1.0000'), '10000', { discount: '1' });
    // 10^12 / 1008000 = 992063.49 → fee 79.37 without the campaign, all of it taken off.
    expect(q).toMatchObject({ fee: '0.00', campaignOff: '79.37', net: '10000.00',
      rate: '0.000000' });
  });
  test('a fixed fee per order is not discounted by a campaign either', () => {
    const q = subscriptionQuote(equity('1.000000', '1.0000'), '6000000', { discount: '1' });
    expect(q).toMatchObject({ fee: '1000.00', campaignOff: '0.00', fixed: '1000.00' });
  });
  test('never a higher fee, never more than the budget, never below the whole discount', () => {
    const p = { fees: { subscription: [{ min_amount: '0.00', max_amount: null,
      rate: '0.015000' }] }, share_rounding: 'half_up', latest_nav: null };
    for (const amount of ['0.01', '0.99', '100.01', '1234.57', '999999.99']) {
      for (const off of ['0.000001', '0.333333', '0.5', '0.999999', '1']) {
        for (const left of ['0.00', '0.01', '0.07', '1000.00']) {
          for (const discount of ['0', '0.1', '0.777777', '1']) {
            const product = { ...p, fee_discount: discount };
            const plain = subscriptionQuote(product, amount);
            const c = subscriptionQuote(product, amount, { discount: off, budgetLeft: left });
            const whole = subscriptionQuote(product, amount, { discount: off });
            const cents = (s) => BigInt(s.replace('.', ''));
            expect(cents(c.fee) >= 0n && cents(c.fee) <= cents(plain.fee)).toBe(true);
            expect(cents(c.fee) >= cents(whole.fee)).toBe(true);
            expect(cents(c.campaignOff)).toBe(cents(plain.fee) - cents(c.fee));
            expect(cents(c.campaignOff) <= cents(left)).toBe(true);
            expect(cents(c.net) + cents(c.fee)).toBe(cents(amount.includes('.') ? amount
              : `${amount}.00`));
          }
        }
      }
    }
  });
});
