import { describe, expect, test } from 'vitest';
import { confirmBlocked, formatMove, heldSummary, sortHeld } from '../src/lib/heldNavs.js';

describe('formatMove', () => {
  test('a rise, a fall and no move, signed, as the server writes them', () => {
    expect(formatMove('23.45')).toEqual({ text: '+23.45%', dir: 'up' });
    expect(formatMove('-12.00')).toEqual({ text: '-12.00%', dir: 'down' });
    expect(formatMove('0.00')).toEqual({ text: '0.00%', dir: 'flat' });
    expect(formatMove('-0.00')).toEqual({ text: '0.00%', dir: 'flat' });
    expect(formatMove('0.05')).toEqual({ text: '+0.05%', dir: 'up' });
    expect(formatMove('150.10')).toEqual({ text: '+150.10%', dir: 'up' });
  });
  test('a first NAV (null) or anything else answers the fallback and no direction', () => {
    expect(formatMove(null)).toEqual({ text: '--', dir: null });
    expect(formatMove(undefined, '无')).toEqual({ text: '无', dir: null });
    for (const bad of ['', '23', '23.4', '23.456', '+23.45', '023.45', '1e2', ' 1.00', 'abc', 23.45, {}]) {
      expect(formatMove(bad).dir).toBe(null);
    }
  });
});

describe('confirmBlocked', () => {
  test('another admin or operator may confirm', () => {
    expect(confirmBlocked({ yours: false }, 'inst_admin')).toBe(null);
    expect(confirmBlocked({ yours: false }, 'inst_operator')).toBe(null);
  });
  test('the publisher may not, and says why', () => {
    expect(confirmBlocked({ yours: true }, 'inst_admin')).toMatch(/另一位员工/);
  });
  test('compliance and any other role may only look', () => {
    expect(confirmBlocked({ yours: false }, 'inst_compliance')).toMatch(/管理员或运营/);
    expect(confirmBlocked({ yours: true }, 'inst_compliance')).toMatch(/管理员或运营/);
    expect(confirmBlocked({ yours: false }, 'investor')).not.toBe(null);
    expect(confirmBlocked(null, undefined)).not.toBe(null);
  });
});

describe('sortHeld and heldSummary', () => {
  const a = { product_code: '518002', date: '2026-03-02', orders_waiting: 2 };
  const b = { product_code: '518001', date: '2026-03-02', orders_waiting: 0 };
  const c = { product_code: '000001', date: '2026-03-03', orders_waiting: 5 };
  test('oldest date first, then product code, in a copy', () => {
    const items = [c, a, b];
    expect(sortHeld(items)).toEqual([b, a, c]);
    expect(items).toEqual([c, a, b]);
  });
  test('no list sorts to an empty one', () => {
    expect(sortHeld(undefined)).toEqual([]);
    expect(sortHeld(null)).toEqual([]);
  });
  test('counts the NAVs and the orders waiting, ignoring nonsense counts', () => {
    expect(heldSummary([a, b, c])).toEqual({ navs: 3, orders: 7 });
    expect(heldSummary([])).toEqual({ navs: 0, orders: 0 });
    expect(heldSummary(undefined)).toEqual({ navs: 0, orders: 0 });
    expect(heldSummary([{ orders_waiting: -1 }, { orders_waiting: 1.5 }, { orders_waiting: '3' }, {}])).toEqual({ navs: 4, orders: 3 });
  });
});
