import { describe, expect, test } from 'vitest';
import { moneyMarketSeries, periodReturn, pointsInRange, rangeStart, returnAllowed } from '../src/shared/navRanges.js';

describe('NAV ranges', () => {
  test('range starts', () => {
    expect(rangeStart('1m', '2026-03-31')).toBe('2026-02-28');
    expect(rangeStart('1y', '2026-03-02')).toBe('2025-03-02');
    expect(rangeStart('ytd', '2026-03-02')).toBe('2026-01-01');
    expect(rangeStart('all', '2026-03-02')).toBe(null);
  });
  test('points in a range', () => {
    const items = [{ date: '2025-01-02' }, { date: '2026-02-20' }, { date: '2026-03-02' }];
    expect(pointsInRange(items, '1m').map((p) => p.date)).toEqual(['2026-02-20', '2026-03-02']);
    expect(pointsInRange(items, 'all')).toHaveLength(3);
  });
  test('period return from the accumulated NAV, exact to two decimals', () => {
    expect(periodReturn([{ nav: '1.0000', acc_nav: '1.0000' }, { nav: '1.1000', acc_nav: '1.1234' }])).toBe('12.34');
    expect(periodReturn([{ nav: '2.0000', acc_nav: '2.5000' }, { nav: '1.9000', acc_nav: '2.4000' }])).toBe('-5.00');
    expect(periodReturn([{ nav: '1.0000', acc_nav: '1.0000' }])).toBe(null);
  });
  test('no performance for periods or histories under six months', () => {
    expect(returnAllowed('2025-01-02', '2025-09-01', '2026-03-02')).toBe(true);
    expect(returnAllowed('2025-01-02', '2026-01-02', '2026-03-02')).toBe(false);
    expect(returnAllowed('2025-12-01', '2025-12-01', '2026-03-02')).toBe(false);
  });
});

test('a money-market fund charts its 7-day yield from the first day that has one', () => {
  const items = [
    { date: '2026-03-05', nav: '1.0000', acc_nav: '1.0000', income_per_10k: '0.5123' },
    { date: '2026-03-11', nav: '1.0000', acc_nav: '1.0000', income_per_10k: '0.4899', yield_7d: '1.840' },
    { date: '2026-03-12', nav: '1.0000', acc_nav: '1.0000', income_per_10k: '0.5555', yield_7d: '1.863' },
  ];
  const m = moneyMarketSeries(items);
  expect(m.data).toEqual([{ date: '2026-03-11', yield: 1.84 }, { date: '2026-03-12', yield: 1.863 }]);
  expect(m.latest).toEqual({ date: '2026-03-12', yield_7d: '1.863', income_per_10k: '0.5555' });
  expect(moneyMarketSeries(items.slice(0, 1))).toEqual({ data: [], latest: null });
  expect(moneyMarketSeries(undefined)).toEqual({ data: [], latest: null });
});
