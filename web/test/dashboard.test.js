import { describe, expect, test } from 'vitest';
import { addDays, daysBetween, periodChange, ppmPercent, quickRanges, segmentPeriod, sharePercent } from '../src/lib/dashboard.js';

describe('periodChange', () => {
  test('counts up, down and flat with one decimal, half-up', () => {
    expect(periodChange(9, 8)).toEqual({ dir: 'up', pct: '12.5', text: '+12.5%' });
    expect(periodChange(97, 100)).toEqual({ dir: 'down', pct: '-3.0', text: '-3.0%' });
    expect(periodChange(5, 5)).toEqual({ dir: 'flat', pct: '0.0', text: '0.0%' });
    expect(periodChange(2, 3).text).toBe('-33.3%');
    expect(periodChange(1, 3).text).toBe('-66.7%');
  });
  test('money strings compare exactly, no floats', () => {
    expect(periodChange('10000.00', '8000.00').text).toBe('+25.0%');
    expect(periodChange('0.10', '0.20').text).toBe('-50.0%');
    expect(periodChange('9007199254740993.00', '9007199254740992.00').dir).toBe('up');
  });
  test('a signed amount measures the change against the magnitude of the base', () => {
    expect(periodChange('-50.00', '-100.00')).toEqual({ dir: 'up', pct: '50.0', text: '+50.0%' });
  });
  test('no base or a missing figure', () => {
    expect(periodChange(4, 0)).toEqual({ dir: 'up', pct: null, text: null });
    expect(periodChange(0, 0).text).toBe('0.0%');
    expect(periodChange(null, 3)).toBeNull();
    expect(periodChange(3, undefined)).toBeNull();
    expect(periodChange('x', '1')).toBeNull();
  });
  test('a change too small to show keeps its direction', () => {
    expect(periodChange(100001, 100000)).toEqual({ dir: 'up', pct: '0.0', text: '+0.0%' });
    expect(periodChange(99999, 100000)).toEqual({ dir: 'down', pct: '-0.0', text: '-0.0%' });
  });
});

describe('ratios and periods', () => {
  test('ppm as a percentage, truncated', () => {
    expect(ppmPercent(912345)).toBe('91.2%');
    expect(ppmPercent(1000000, 0)).toBe('100%');
    expect(ppmPercent(-12000)).toBe('-1.2%');
    expect(ppmPercent(null)).toBe('--');
    expect(sharePercent(1, 3)).toBe('33.3%');
    expect(sharePercent(1, 0)).toBe('--');
  });
  test('dates and the periods of a segment breakdown', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-02-24', '2026-03-02')).toBe(7);
    expect(segmentPeriod('day', '2026-03-04')).toEqual({ from: '2026-03-04', to: '2026-03-04' });
    expect(segmentPeriod('week', '2026-03-04')).toEqual({ from: '2026-03-02', to: '2026-03-08' });
    expect(segmentPeriod('week', '2026-03-08')).toEqual({ from: '2026-03-02', to: '2026-03-08' });
    expect(segmentPeriod('month', '2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(quickRanges('2026-03-31', [7])).toEqual([{ days: 7, from: '2026-03-25', to: '2026-03-31' }]);
  });
});
