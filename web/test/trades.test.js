import { describe, expect, test } from 'vitest';
import { defaultTradeDate, isTradeDate, orderCounts, settlementClass, settlementOf, settlementSigned, settlementWords, statusBreakdown } from '../src/lib/trades.js';

describe('settlementOf', () => {
  test('positive is receivable, negative payable, both as a grouped magnitude', () => {
    expect(settlementOf('4564.24')).toEqual({ dir: 'receivable', amount: '4,564.24' });
    expect(settlementOf('-5422.63')).toEqual({ dir: 'payable', amount: '5,422.63' });
    expect(settlementOf('-1234567.80')).toEqual({ dir: 'payable', amount: '1,234,567.80' });
    expect(settlementOf('0.01')).toEqual({ dir: 'receivable', amount: '0.01' });
    expect(settlementOf('+12.00')).toEqual({ dir: 'receivable', amount: '12.00' });
  });
  test('zero, signed or not, is neither', () => {
    expect(settlementOf('0.00')).toEqual({ dir: 'zero', amount: '0.00' });
    expect(settlementOf('-0.00')).toEqual({ dir: 'zero', amount: '0.00' });
  });
  test('anything that is not a decimal answers no direction and the fallback', () => {
    for (const bad of [null, undefined, '', 'abc', '1e3', '12,00', '--1.00', {}, []]) {
      expect(settlementOf(bad)).toEqual({ dir: null, amount: '--' });
    }
    expect(settlementOf('x', '无').amount).toBe('无');
  });
});

describe('settlementWords, settlementSigned and settlementClass', () => {
  test('the settlement in words', () => {
    expect(settlementWords('4564.24')).toBe('应收 4,564.24 元');
    expect(settlementWords('-5422.63')).toBe('应付 5,422.63 元');
    expect(settlementWords('0.00')).toBe('无应收应付');
    expect(settlementWords('abc')).toBe('--');
    expect(settlementWords(undefined, '')).toBe('');
  });
  test('signed for a table cell', () => {
    expect(settlementSigned('4564.24')).toBe('+4,564.24');
    expect(settlementSigned('-5422.63')).toBe('-5,422.63');
    expect(settlementSigned('0.00')).toBe('0.00');
    expect(settlementSigned(null)).toBe('--');
  });
  test('a colour class per direction, none when unknown', () => {
    expect(settlementClass('receivable')).toBe('settle-receivable');
    expect(settlementClass('payable')).toBe('settle-payable');
    expect(settlementClass('zero')).toBe('settle-zero');
    expect(settlementClass(null)).toBe('');
  });
});

describe('statusBreakdown', () => {
  test('the statuses with orders, in order, the others left out', () => {
    expect(statusBreakdown({ orders: 2, accepted: 0, confirmed: 1, failed: 0, cancelled: 1 })).toBe('确认 1，撤单 1');
    expect(statusBreakdown({ orders: 7, accepted: 3, confirmed: 2, failed: 1, cancelled: 1 })).toBe('待确认 3，确认 2，失败 1，撤单 1');
  });
  test('no orders says nothing', () => {
    expect(statusBreakdown({ orders: 0, accepted: 0, confirmed: 0, failed: 0, cancelled: 0 })).toBe('');
  });
  test('a missing side or a count that is not a whole number ≥ 0 answers the fallback', () => {
    expect(statusBreakdown(null)).toBe('--');
    expect(statusBreakdown(undefined, '')).toBe('');
    expect(statusBreakdown('x')).toBe('--');
    expect(statusBreakdown({ accepted: 0, confirmed: 1, failed: 0 })).toBe('--');
    expect(statusBreakdown({ accepted: -1, confirmed: 1, failed: 0, cancelled: 0 })).toBe('--');
    expect(statusBreakdown({ accepted: 1.5, confirmed: 1, failed: 0, cancelled: 0 })).toBe('--');
    expect(statusBreakdown({ accepted: '1', confirmed: 1, failed: 0, cancelled: 0 })).toBe('--');
  });
});

describe('orderCounts', () => {
  test('sums the orders of each side over the products', () => {
    const products = [
      { subscriptions: { orders: 2 }, redemptions: { orders: 0 } },
      { subscriptions: { orders: 1 }, redemptions: { orders: 3 } },
    ];
    expect(orderCounts(products)).toEqual({ subscriptions: 3, redemptions: 3 });
  });
  test('no products, or nonsense counts, count as nothing', () => {
    expect(orderCounts([])).toEqual({ subscriptions: 0, redemptions: 0 });
    expect(orderCounts(undefined)).toEqual({ subscriptions: 0, redemptions: 0 });
    expect(orderCounts([null, {}, { subscriptions: { orders: -2 }, redemptions: { orders: '4' } }])).toEqual({ subscriptions: 0, redemptions: 0 });
  });
});

describe('dates', () => {
  test('the default is yesterday in UTC+8, whatever the clock\'s zone', () => {
    expect(defaultTradeDate(Date.parse('2026-03-03T10:00:00+08:00'))).toBe('2026-03-02');
    // 2026-03-02 17:00 UTC is already 2026-03-03 01:00 in UTC+8
    expect(defaultTradeDate(Date.parse('2026-03-02T17:00:00Z'))).toBe('2026-03-02');
    expect(defaultTradeDate(Date.parse('2026-03-01T08:00:00+08:00'))).toBe('2026-02-28');
    expect(defaultTradeDate(Date.parse('2026-01-01T00:30:00+08:00'))).toBe('2025-12-31');
  });
  test('isTradeDate accepts YYYY-MM-DD only', () => {
    expect(isTradeDate('2026-03-02')).toBe(true);
    for (const bad of ['2026-3-2', '2026-13-01', '2026-03-32', '20260302', 'yesterday', '', null, undefined, 20260302]) {
      expect(isTradeDate(bad)).toBe(false);
    }
  });
});
